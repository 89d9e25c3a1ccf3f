package io.cyroid.provisioning.reconcile;

import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.MarkRangeDegraded;
import io.cyroid.messages.OrphanRemoved;
import io.cyroid.messages.RecordRangeRecovered;
import io.cyroid.messages.RecordVmStopped;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Commands to the range and the orphan event, sent as the user {@code system} from the reconciler's threads. */
public class AxonSystemReports implements SystemReports {

    private static final Logger log = LoggerFactory.getLogger(AxonSystemReports.class);
    private static final MetaData SYSTEM = MetaData.with("user", Reconciler.SYSTEM);

    private final CommandGateway commands;
    private final EventGateway events;

    public AxonSystemReports(CommandGateway commands, EventGateway events) {
        this.commands = commands;
        this.events = events;
    }

    @Override
    public boolean vmStopped(String rangeId, String vmName, String reason) {
        return send(rangeId, new RecordVmStopped(rangeId, vmName, reason));
    }

    @Override
    public boolean degraded(String rangeId, String reason) {
        return send(rangeId, new MarkRangeDegraded(rangeId, reason));
    }

    @Override
    public boolean recovered(String rangeId, String note) {
        return send(rangeId, new RecordRangeRecovered(rangeId, note));
    }

    @Override
    public void orphanRemoved(OrphanRemoved removed) {
        events.publish(GenericEventMessage.asEventMessage(removed).andMetaData(SYSTEM));
    }

    private boolean send(String rangeId, Object command) {
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(SYSTEM), 30,
                    TimeUnit.SECONDS);
            return true;
        } catch (IllegalTransitionException | AggregateNotFoundException refused) {
            log.info("range {}: {} not recorded: {}", rangeId, command.getClass().getSimpleName(),
                    refused.getMessage());
            return false;
        }
    }
}

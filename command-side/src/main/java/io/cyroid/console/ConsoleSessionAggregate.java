package io.cyroid.console;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.cyroid.messages.CloseConsole;
import io.cyroid.messages.ConsoleClosed;
import io.cyroid.messages.ConsoleOpened;
import io.cyroid.messages.OpenConsole;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One console session into a VM, for the audit trail: who opened it, when, and how and when it ended. Kept apart from
 * the range (a console changes nothing of its state, and a range with many trainees would otherwise carry every
 * session in its own stream). The API has checked the user's rights and the range's and VM's state before it opens.
 */
@Aggregate
public class ConsoleSessionAggregate {

    static final Set<String> KINDS = Set.of("terminal", "vnc");

    @AggregateIdentifier
    private String consoleId;
    private String rangeId;
    private String vmName;
    private String kind;
    private String user;
    private Instant openedAt;
    private boolean closed;

    protected ConsoleSessionAggregate() {
        // for Axon
    }

    @CommandHandler
    public ConsoleSessionAggregate(OpenConsole command) {
        requireText(command.consoleId(), "consoleId");
        requireText(command.rangeId(), "rangeId");
        requireText(command.vmName(), "vmName");
        requireText(command.user(), "user");
        if (!KINDS.contains(command.kind())) {
            throw new IllegalArgumentException("kind must be one of " + KINDS);
        }
        apply(new ConsoleOpened(command.consoleId(), command.rangeId(), command.vmName(), command.kind(),
                command.user()));
    }

    /** Closing a closed console changes nothing: every way a socket ends may report it. */
    @CommandHandler
    public void handle(CloseConsole command) {
        if (closed) {
            return;
        }
        String reason = command.reason() == null || command.reason().isBlank() ? "unknown" : command.reason();
        // Axon's event clock: the time the event will carry (and the one a test fixture sets)
        long seconds = Math.max(0, Duration.between(openedAt, GenericEventMessage.clock.instant()).toSeconds());
        apply(new ConsoleClosed(consoleId, rangeId, vmName, kind, user, reason, seconds));
    }

    @EventSourcingHandler
    void on(ConsoleOpened event, @Timestamp Instant at) {
        consoleId = event.consoleId();
        rangeId = event.rangeId();
        vmName = event.vmName();
        kind = event.kind();
        user = event.user();
        openedAt = at;
    }

    @EventSourcingHandler
    void on(ConsoleClosed event) {
        closed = true;
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}

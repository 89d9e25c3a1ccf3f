package io.cyroid.provisioning;

import io.cyroid.messages.ProvisioningNodeStarted;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Announces this node's start once the application is ready, so that sagas whose engine work was in flight here
 * before a crash or restart hand it to the new worker: in-memory work does not survive a restart, the saga's record
 * of it does.
 */
public class ProvisioningNode {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningNode.class);

    private final EventGateway events;
    private final ProvisioningProperties properties;

    public ProvisioningNode(EventGateway events, ProvisioningProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    /** The configured node id, or the host name: stable across restarts of the same node. */
    static String id(ProvisioningProperties properties) {
        if (properties.getNodeId() != null && !properties.getNodeId().isBlank()) {
            return properties.getNodeId();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "local";
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public void announce() {
        String id = id(properties);
        log.info("provisioning node {} started", id);
        events.publish(GenericEventMessage.asEventMessage(new ProvisioningNodeStarted(id))
                .andMetaData(MetaData.with("user", "system")));
    }
}

package io.cyroid.security;

import io.cyroid.messages.UserRemoved;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Drops a removed user's remembered credentials. A subscribing processor (application.yml): it runs as the removal
 * is recorded, before the DELETE answers, so no request after that answer signs in with them on this node.
 */
@Component
@ProcessingGroup(RemovedUsers.PROCESSING_GROUP)
class RemovedUsers {

    static final String PROCESSING_GROUP = "sign-in-cache";

    private final CachedCredentials credentials;

    RemovedUsers(CachedCredentials credentials) {
        this.credentials = credentials;
    }

    @EventHandler
    void on(UserRemoved event) {
        credentials.forget(event.username());
    }
}

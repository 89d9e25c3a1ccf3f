package io.cyroid.api.user;

import io.cyroid.messages.Role;
import io.cyroid.messages.UserCreated;
import io.cyroid.messages.UserRemoved;
import java.util.Optional;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/**
 * User accounts as their own events say, read straight from the event store: a sign-in is checked against the
 * account's latest state, never against a read model that may lag behind a removal. A handful of rows per read.
 */
@Component
public class Accounts {

    public record Account(String username, String passwordHash, Set<Role> roles) {
    }

    private final EventStore events;

    public Accounts(EventStore events) {
        this.events = events;
    }

    /** Blocking. The account under that name now, if there is one. */
    public Optional<Account> find(String username) {
        DomainEventStream stream = events.readEvents(UserCreated.idOf(username));
        Account account = null;
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getPayload() instanceof UserCreated created) {
                account = new Account(created.username(), created.passwordHash(), created.roles());
            } else if (event.getPayload() instanceof UserRemoved) {
                account = null;
            }
        }
        return Optional.ofNullable(account);
    }
}

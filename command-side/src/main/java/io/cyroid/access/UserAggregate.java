package io.cyroid.access;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.cyroid.messages.CreateUser;
import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.RemoveUser;
import io.cyroid.messages.UserCreated;
import io.cyroid.messages.UserRemoved;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A user account: created with a password hash and roles, removed, and possibly created again under the same name
 * (a new life of the same stream, so the history of the name stays in one place). The API checks the input's form
 * (name pattern, password length) and hashes the password; the aggregate checks what is its own: that a name is not
 * taken twice at once.
 */
@Aggregate
public class UserAggregate {

    @AggregateIdentifier
    private String userId;
    private boolean active;

    protected UserAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(CreateUser command) {
        if (active) {
            throw new IllegalTransitionException("user " + command.username() + " exists");
        }
        requireText(command.username(), "username");
        requireText(command.passwordHash(), "passwordHash");
        requireText(command.createdBy(), "createdBy");
        if (command.roles() == null || command.roles().isEmpty()) {
            throw new IllegalArgumentException("roles is required");
        }
        if (!UserCreated.idOf(command.username()).equals(command.userId())) {
            throw new IllegalArgumentException("userId must be " + UserCreated.idOf(command.username()));
        }
        apply(new UserCreated(command.userId(), command.username(), command.passwordHash(), command.roles(),
                command.createdBy()));
    }

    /** Removing a removed user changes nothing: a DELETE repeated after a lost answer is no error. */
    @CommandHandler
    public void handle(RemoveUser command) {
        requireText(command.removedBy(), "removedBy");
        if (active) {
            apply(new UserRemoved(userId, userId.substring("user:".length()), command.removedBy()));
        }
    }

    @EventSourcingHandler
    void on(UserCreated event) {
        userId = event.userId();
        active = true;
    }

    @EventSourcingHandler
    void on(UserRemoved event) {
        active = false;
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}

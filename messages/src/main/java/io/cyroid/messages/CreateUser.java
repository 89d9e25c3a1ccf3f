package io.cyroid.messages;

import java.util.Set;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * {@code userId}: {@link UserCreated#idOf(String)} of the user name (aggregate ids share one space with ranges and
 * blueprints). {@code passwordHash}: already hashed (a delegating encoder's form, {@code {bcrypt}...}); the password
 * itself never reaches a command.
 */
public record CreateUser(@TargetAggregateIdentifier String userId, String username, String passwordHash,
                         Set<Role> roles, String createdBy) {
}

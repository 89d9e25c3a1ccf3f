package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RemoveUser(@TargetAggregateIdentifier String userId, String removedBy) {
}

package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DestroyRange(@TargetAggregateIdentifier String rangeId, String requestedBy) implements RangeCommands {
}

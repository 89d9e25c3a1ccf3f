package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives {@code username} the range: a trainee to use it, an instructor to share it. */
public record AssignRange(@TargetAggregateIdentifier String rangeId, String username, String assignedBy)
        implements RangeCommands {
}

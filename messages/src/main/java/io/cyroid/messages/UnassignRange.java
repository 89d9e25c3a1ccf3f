package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record UnassignRange(@TargetAggregateIdentifier String rangeId, String username, String unassignedBy)
        implements RangeCommands {
}

package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record FailDeployment(@TargetAggregateIdentifier String rangeId, String step, String reason)
        implements RangeCommands {
}

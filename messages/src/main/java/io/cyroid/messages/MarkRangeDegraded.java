package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The range's DinD is not running while the range should be deployed: reported by the reconciler. */
public record MarkRangeDegraded(@TargetAggregateIdentifier String rangeId, String reason) implements RangeCommands {
}

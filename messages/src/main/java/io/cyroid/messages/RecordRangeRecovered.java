package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The reconciler restarted a degraded range's DinD and VMs. */
public record RecordRangeRecovered(@TargetAggregateIdentifier String rangeId, String note) implements RangeCommands {
}

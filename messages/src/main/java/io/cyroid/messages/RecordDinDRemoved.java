package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Everything labelled with the range id is gone from the host engine (container, volume, socket dir). */
public record RecordDinDRemoved(@TargetAggregateIdentifier String rangeId, String containerId)
        implements RangeCommands {
}

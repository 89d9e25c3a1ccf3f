package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Everything labelled with the range id is gone from the host engine (container, volume, socket dir), or, when
 * {@code leftovers} is set, the removal gave up after its retries: the reconciler removes what is left once the engine
 * answers again.
 */
public record RecordDinDRemoved(@TargetAggregateIdentifier String rangeId, String containerId, String leftovers)
        implements RangeCommands {
    /** Everything was removed. */
    public RecordDinDRemoved(String rangeId, String containerId) {
        this(rangeId, containerId, null);
    }
}

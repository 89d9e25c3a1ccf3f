package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record DinDRemoved(String rangeId, String containerId, String leftovers) implements RangeEvents {
    /** Everything was removed. */
    public DinDRemoved(String rangeId, String containerId) {
        this(rangeId, containerId, null);
    }
}

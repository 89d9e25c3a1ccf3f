package io.cyroid.messages;

public record DinDRemoved(String rangeId, String containerId, String leftovers) implements RangeEvents {
    /** Everything was removed. */
    public DinDRemoved(String rangeId, String containerId) {
        this(rangeId, containerId, null);
    }
}

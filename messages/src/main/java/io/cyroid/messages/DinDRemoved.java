package io.cyroid.messages;

public record DinDRemoved(String rangeId, String containerId) implements RangeEvents {
}

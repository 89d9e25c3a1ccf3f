package io.cyroid.messages;

public record RangeDestroyed(String rangeId) implements RangeEvents {
}

package io.cyroid.messages;

public record RangeDestroyRequested(String rangeId, String requestedBy) implements RangeEvents {
}

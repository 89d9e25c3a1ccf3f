package io.cyroid.messages;

public record RangeDegraded(String rangeId, String reason) implements RangeEvents {
}

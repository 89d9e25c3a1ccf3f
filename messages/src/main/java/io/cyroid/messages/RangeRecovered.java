package io.cyroid.messages;

public record RangeRecovered(String rangeId, String note) implements RangeEvents {
}

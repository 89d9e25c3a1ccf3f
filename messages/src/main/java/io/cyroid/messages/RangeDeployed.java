package io.cyroid.messages;

public record RangeDeployed(String rangeId) implements RangeEvents {
}

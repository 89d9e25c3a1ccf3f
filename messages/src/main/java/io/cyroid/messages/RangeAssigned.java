package io.cyroid.messages;

public record RangeAssigned(String rangeId, String username, String assignedBy) implements RangeEvents {
}

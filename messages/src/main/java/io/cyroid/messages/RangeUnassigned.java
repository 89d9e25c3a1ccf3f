package io.cyroid.messages;

public record RangeUnassigned(String rangeId, String username, String unassignedBy) implements RangeEvents {
}

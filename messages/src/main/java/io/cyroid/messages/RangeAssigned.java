package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record RangeAssigned(String rangeId, String username, String assignedBy) implements RangeEvents {
}

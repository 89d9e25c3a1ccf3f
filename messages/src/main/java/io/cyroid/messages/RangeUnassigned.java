package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record RangeUnassigned(String rangeId, String username, String unassignedBy) implements RangeEvents {
}

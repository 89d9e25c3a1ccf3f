package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record RangeDestroyRequested(String rangeId, String requestedBy) implements RangeEvents {
}

package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record RangeDegraded(String rangeId, String reason) implements RangeEvents {
}

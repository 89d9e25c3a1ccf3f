package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record RangeRecovered(String rangeId, String note) implements RangeEvents {
}

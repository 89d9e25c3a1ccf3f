package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record RangeDestroyed(String rangeId) implements RangeEvents {
}

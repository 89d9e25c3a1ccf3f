package io.cyroid.messages;

import java.util.List;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ImagesSeeded(String rangeId, List<String> images) implements RangeEvents {
}

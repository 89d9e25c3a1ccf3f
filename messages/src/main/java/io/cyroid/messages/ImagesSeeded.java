package io.cyroid.messages;

import java.util.List;

public record ImagesSeeded(String rangeId, List<String> images) implements RangeEvents {
}

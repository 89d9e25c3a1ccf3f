package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;

public record RangeRequested(String rangeId, String name, String blueprintId, Blueprint blueprint,
                             String requestedBy) implements RangeEvents {
}

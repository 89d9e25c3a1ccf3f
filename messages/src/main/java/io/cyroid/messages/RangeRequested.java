package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;

/**
 * {@code blueprintVersion}: the blueprint version the snapshot {@code blueprint} was taken from. Null in events
 * stored before blueprints had versions: such history still loads, and the snapshot is what counts anyway.
 */
public record RangeRequested(String rangeId, String name, String blueprintId, Blueprint blueprint,
                             String requestedBy, Integer blueprintVersion) implements RangeEvents {
}

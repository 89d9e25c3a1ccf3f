package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.serialization.Revision;

/**
 * {@code blueprintVersion}: the blueprint version the snapshot {@code blueprint} was taken from. Null in events
 * stored before blueprints had versions: such history still loads, and the snapshot is what counts anyway.
 */
@Revision("1")
public record RangeRequested(String rangeId, String name, String blueprintId, Blueprint blueprint,
                             String requestedBy, Integer blueprintVersion) implements RangeEvents {
}

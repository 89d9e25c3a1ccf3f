package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.serialization.Revision;

/**
 * {@code blueprintVersion}: the blueprint version the snapshot {@code blueprint} was taken from. Null in events
 * stored before blueprints had versions: such history still loads, and the snapshot is what counts anyway.
 * {@code redeployOf}: the range whose recorded snapshot this range deploys again, null for a deploy from the
 * catalogue (and in events stored before redeploys existed).
 */
@Revision("1")
public record RangeRequested(String rangeId, String name, String blueprintId, Blueprint blueprint,
                             String requestedBy, Integer blueprintVersion, String redeployOf) implements RangeEvents {

    public RangeRequested(String rangeId, String name, String blueprintId, Blueprint blueprint, String requestedBy,
                          Integer blueprintVersion) {
        this(rangeId, name, blueprintId, blueprint, requestedBy, blueprintVersion, null);
    }
}

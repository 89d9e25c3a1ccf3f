package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * {@code blueprintVersion}: the version of the blueprint the snapshot was taken from. {@code redeployOf}: the range
 * whose recorded snapshot is deployed again, or null.
 */
public record RequestRange(@TargetAggregateIdentifier String rangeId, String name, String blueprintId,
                           Blueprint blueprint, String requestedBy, Integer blueprintVersion, String redeployOf)
        implements RangeCommands {

    public RequestRange(String rangeId, String name, String blueprintId, Blueprint blueprint, String requestedBy,
                        Integer blueprintVersion) {
        this(rangeId, name, blueprintId, blueprint, requestedBy, blueprintVersion, null);
    }
}

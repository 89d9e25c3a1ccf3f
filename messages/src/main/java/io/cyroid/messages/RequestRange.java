package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code blueprintVersion}: the version of the blueprint the snapshot was taken from. */
public record RequestRange(@TargetAggregateIdentifier String rangeId, String name, String blueprintId,
                           Blueprint blueprint, String requestedBy, Integer blueprintVersion)
        implements RangeCommands {
}

package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RequestRange(@TargetAggregateIdentifier String rangeId, String name, String blueprintId,
                           Blueprint blueprint, String requestedBy) implements RangeCommands {
}

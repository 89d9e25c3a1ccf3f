package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replace a blueprint with a new version (validated by the API, like a new one). Answers the version it has now. */
public record ReviseBlueprint(@TargetAggregateIdentifier String blueprintId, Blueprint blueprint, String revisedBy)
        implements BlueprintCommands {
}

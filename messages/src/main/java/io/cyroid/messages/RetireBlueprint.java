package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Withdraw a blueprint: it can no longer be revised or deployed; ranges deployed from it are not touched. */
public record RetireBlueprint(@TargetAggregateIdentifier String blueprintId, String retiredBy)
        implements BlueprintCommands {
}

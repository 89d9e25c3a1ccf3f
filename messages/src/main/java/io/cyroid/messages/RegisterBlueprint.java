package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Register a blueprint as version 1. The API has validated it with this server's rules and limits, and checked that
 * its name is free, before it sends this. {@code legacyOrigin}: only for a blueprint carried over from the read
 * store of before (null otherwise).
 */
public record RegisterBlueprint(@TargetAggregateIdentifier String blueprintId, Blueprint blueprint,
                                String registeredBy, LegacyOrigin legacyOrigin) implements BlueprintCommands {

    public RegisterBlueprint(String blueprintId, Blueprint blueprint, String registeredBy) {
        this(blueprintId, blueprint, registeredBy, null);
    }
}

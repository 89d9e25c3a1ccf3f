package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;

/** Version 1 of a blueprint, whole. {@code legacyOrigin}: see {@link RegisterBlueprint}; null for a new one. */
public record BlueprintRegistered(String blueprintId, int version, Blueprint blueprint, String registeredBy,
                                  LegacyOrigin legacyOrigin) implements BlueprintEvents {
}

package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.serialization.Revision;

/** Version 1 of a blueprint, whole. {@code legacyOrigin}: see {@link RegisterBlueprint}; null for a new one. */
@Revision("1")
public record BlueprintRegistered(String blueprintId, int version, Blueprint blueprint, String registeredBy,
                                  LegacyOrigin legacyOrigin) implements BlueprintEvents {
}

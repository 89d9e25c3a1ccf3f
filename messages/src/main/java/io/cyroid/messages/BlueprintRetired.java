package io.cyroid.messages;

/** The blueprint is withdrawn at the version it had; {@code version} is that version. */
public record BlueprintRetired(String blueprintId, int version, String retiredBy) implements BlueprintEvents {
}

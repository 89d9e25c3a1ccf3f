package io.cyroid.messages;

/** Every version of one blueprint, oldest first; answers a list of {@link BlueprintVersionView} (empty: unknown). */
public record ListBlueprintVersions(String blueprintId) {
}

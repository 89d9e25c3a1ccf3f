package io.cyroid.messages;

/** One blueprint, retired or not; answers a {@link BlueprintView}, or null. Also a subscription query. */
public record FindBlueprint(String blueprintId) {
}

package io.cyroid.messages;

/** The blueprint (retired ones included) that has this name now; answers a {@link BlueprintView}, or null. */
public record FindBlueprintByName(String name) {
}

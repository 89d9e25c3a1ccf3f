package io.cyroid.messages;

/** Every blueprint by name; retired ones only when asked. Answers a list of {@link BlueprintView}. */
public record ListBlueprints(boolean includeRetired) {
}

package io.cyroid.messages;

/** Marker for the events of a blueprint's life: registered (version 1), revised (each a new version), retired. */
public sealed interface BlueprintEvents permits BlueprintRegistered, BlueprintRevised, BlueprintRetired {
    String blueprintId();
}

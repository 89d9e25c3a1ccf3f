package io.cyroid.messages;

/** Marker for the commands of the Blueprint aggregate; the records live beside it, one file each. */
public sealed interface BlueprintCommands permits RegisterBlueprint, ReviseBlueprint, RetireBlueprint {
    String blueprintId();
}

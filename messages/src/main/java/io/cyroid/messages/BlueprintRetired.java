package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/** The blueprint is withdrawn at the version it had; {@code version} is that version. */
@Revision("1")
public record BlueprintRetired(String blueprintId, int version, String retiredBy) implements BlueprintEvents {
}

package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import org.axonframework.serialization.Revision;

/**
 * A new version of a blueprint, whole (not a diff): any version can be read, or deployed from a range's snapshot,
 * without replaying the ones before it.
 */
@Revision("1")
public record BlueprintRevised(String blueprintId, int version, Blueprint blueprint, String revisedBy)
        implements BlueprintEvents {
}

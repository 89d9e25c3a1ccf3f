package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import java.time.Instant;

/** One version of a blueprint: what it was, who made it and when. */
public record BlueprintVersionView(int version, Blueprint blueprint, String by, Instant at) {
}

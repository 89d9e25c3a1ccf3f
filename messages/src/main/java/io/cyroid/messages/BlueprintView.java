package io.cyroid.messages;

import io.cyroid.blueprint.Blueprint;
import java.time.Instant;

/**
 * The read model of a blueprint at its current version. {@code createdBy/At}: who registered it (for one carried
 * over from the old read store, its original author and date); {@code revisedBy/At}: the last revision, if any.
 * {@code sequence}: the sequence number of the last event reflected, so a waiter can tell a newer view.
 */
public record BlueprintView(String id, String name, int version, String createdBy, Instant createdAt,
                            String revisedBy, Instant revisedAt, boolean retired, String retiredBy,
                            Instant retiredAt, Blueprint blueprint, long sequence) {
}

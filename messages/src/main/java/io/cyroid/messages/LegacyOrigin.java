package io.cyroid.messages;

import java.time.Instant;

/**
 * Who created a blueprint and when, as the read store said before blueprints were event-sourced: a blueprint carried
 * over from there is registered by "system", and this keeps its real author and date.
 */
public record LegacyOrigin(String createdBy, Instant createdAt) {
}

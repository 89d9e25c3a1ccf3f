package io.cyroid.messages;

import java.time.Instant;
import java.util.List;

/**
 * One range in a list: what GET /api/v1/ranges/stream sends on each change of any range. {@code version}: the
 * range's last event reflected (as in {@link RangeView}); {@code position}: that event's place in the whole event
 * store, which only grows: the stream's message id, and where a reconnecting client resumes.
 */
public record RangeSummary(String rangeId, String name, RangeStatus status, String blueprintId,
                           Integer blueprintVersion, String createdBy, Instant createdAt, Instant deployedAt,
                           Instant updatedAt, String statusReason, String failureReason, String redeployOf,
                           List<String> assignees, long version, long position) {
}

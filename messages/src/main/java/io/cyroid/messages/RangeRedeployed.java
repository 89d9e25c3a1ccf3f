package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/**
 * The range's recorded snapshot was deployed again as range {@code newRangeId} (whose RangeRequested names this
 * range in {@code redeployOf}): the link back, in this range's own history. Allowed in every state, DESTROYED too.
 */
@Revision("1")
public record RangeRedeployed(String rangeId, String newRangeId, String requestedBy) implements RangeEvents {
}

package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/**
 * A labelled Docker object that belonged to no live range was removed by the reconciler. Not a range event: the
 * range may never have existed in this event store (a crash between creation and the first record).
 */
@Revision("1")
public record OrphanRemoved(String kind, String objectId, String name, String rangeId, String reason) {
}

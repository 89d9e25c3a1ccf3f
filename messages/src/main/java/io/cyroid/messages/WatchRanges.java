package io.cyroid.messages;

/**
 * Subscription query: the summary of every range changed after event store position {@code after} (-1: every
 * range), oldest change first, then each range's summary on every change.
 */
public record WatchRanges(long after) {
}

package io.cyroid.messages;

/** Query: every range's read model, newest first. */
public record ListRanges() {
}

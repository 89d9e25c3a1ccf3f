package io.cyroid.messages;

/** Query: one range's read model; answers {@link RangeView}, and updates of it as a subscription query. */
public record FindRange(String rangeId) {
}

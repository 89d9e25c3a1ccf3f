package io.cyroid.rangeview;

/**
 * Where the range projection keeps its documents: the read store for the live read model, a map for a replay to a
 * point in a range's history ({@link RangeReplay}). The projection's logic is the same for both.
 */
interface RangeDocuments {

    /** The range's document, or null. */
    RangeDocument find(String rangeId);

    void save(RangeDocument range);

    /** Drops every document: a replay from the first event follows. */
    void clear();
}

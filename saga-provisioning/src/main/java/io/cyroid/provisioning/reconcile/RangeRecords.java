package io.cyroid.provisioning.reconcile;

import java.util.List;

/** What Cyroid has recorded of its ranges, as the reconciler reads it. Implementations block. */
public interface RangeRecords {

    /**
     * The ranges that should be up (DEPLOYED or DEGRADED) as the read model shows them: where to look. The read
     * model may lag; every decision checks {@link #facts} first.
     */
    List<String> liveRanges();

    /** The range as its events say right now. */
    RangeFacts facts(String rangeId);
}

package io.cyroid.provisioning.reconcile;

import io.cyroid.messages.OrphanRemoved;

/**
 * What the reconciler records, as the user {@code system}. Each call blocks until the range took it or refused it;
 * returns false when the range refused (it moved on meanwhile): no error.
 */
public interface SystemReports {

    boolean vmStopped(String rangeId, String vmName, String reason);

    boolean degraded(String rangeId, String reason);

    boolean recovered(String rangeId, String note);

    void orphanRemoved(OrphanRemoved removed);
}

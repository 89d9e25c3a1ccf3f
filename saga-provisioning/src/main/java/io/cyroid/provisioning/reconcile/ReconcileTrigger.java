package io.cyroid.provisioning.reconcile;

import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeRecovered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Tells the reconciler at once when a range comes up or starts going away, so that a VM that dies right after the
 * deploy is seen within seconds rather than at the next pass. A subscribing processor: it runs in the thread that
 * recorded the event, and only hands the range id over, so it never blocks it (and replays nothing at start).
 */
@ProcessingGroup(ReconcileTrigger.PROCESSOR)
public class ReconcileTrigger {

    public static final String PROCESSOR = "cyroid-reconcile-trigger";

    private final Reconciler reconciler;

    public ReconcileTrigger(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @EventHandler
    void on(RangeDeployed event) {
        reconciler.rangeUp(event.rangeId());
    }

    @EventHandler
    void on(RangeRecovered event) {
        reconciler.rangeUp(event.rangeId());
    }

    @EventHandler
    void on(RangeDestroyRequested event) {
        reconciler.rangeGoing(event.rangeId());
    }
}

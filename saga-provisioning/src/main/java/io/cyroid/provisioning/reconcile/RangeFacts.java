package io.cyroid.provisioning.reconcile;

import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.RangeDegraded;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRecovered;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.VmActionFailed;
import io.cyroid.messages.VmActionRequested;
import io.cyroid.messages.VmReset;
import io.cyroid.messages.VmRestarted;
import io.cyroid.messages.VmStarted;
import io.cyroid.messages.VmStopped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the event store says of a range right now, folded from its events the way the aggregate folds them: the
 * reconciler's last check before it acts, without the read model's lag. {@code status} is null for a range this
 * event store does not know.
 */
public record RangeFacts(String rangeId, RangeStatus status, boolean dindRemoved, List<String> vms,
                         Set<String> runningVms, Set<String> pendingActions, String statusReason) {

    public static RangeFacts unknown(String rangeId) {
        return new RangeFacts(rangeId, null, false, List.of(), Set.of(), Set.of(), null);
    }

    public boolean known() {
        return status != null;
    }

    /** Up as far as Cyroid is concerned: its engine objects should run. */
    public boolean live() {
        return status == RangeStatus.DEPLOYED || status == RangeStatus.DEGRADED;
    }

    /**
     * Nothing of the range should exist on the engine any more: unknown here, destroyed, or failed with its
     * compensation done.
     */
    public boolean gone() {
        return status == null || status == RangeStatus.DESTROYED || status == RangeStatus.FAILED && dindRemoved;
    }

    /** Folds a range's event payloads (others are ignored), oldest first. */
    public static RangeFacts of(String rangeId, Iterable<?> payloads) {
        RangeStatus status = null;
        boolean dindRemoved = false;
        List<String> vms = List.of();
        Set<String> started = new LinkedHashSet<>();
        Set<String> running = new LinkedHashSet<>();
        Set<String> pending = new LinkedHashSet<>();
        String reason = null;
        for (Object e : payloads) {
            if (e instanceof RangeRequested r) {
                status = RangeStatus.REQUESTED;
                vms = r.blueprint() == null ? List.of() : r.blueprint().vms().stream().map(VmSpec::name).toList();
            } else if (e instanceof DinDCreated) {
                status = RangeStatus.PROVISIONING;
            } else if (e instanceof VmStarted v) {
                started.add(v.vmName());
                running.add(v.vmName());
                pending.remove(v.vmName());
            } else if (e instanceof RangeDeployed) {
                status = RangeStatus.DEPLOYED;
            } else if (e instanceof RangeDeploymentFailed) {
                status = RangeStatus.FAILED;
            } else if (e instanceof RangeDestroyRequested) {
                status = RangeStatus.DESTROYING;
            } else if (e instanceof DinDRemoved) {
                dindRemoved = true;
            } else if (e instanceof RangeDestroyed) {
                status = RangeStatus.DESTROYED;
            } else if (e instanceof VmActionRequested a) {
                pending.add(a.vmName());
            } else if (e instanceof VmStopped s) {
                running.remove(s.vmName());
                pending.remove(s.vmName());
            } else if (e instanceof VmRestarted r) {
                running.add(r.vmName());
                pending.remove(r.vmName());
            } else if (e instanceof VmReset r) {
                running.add(r.vmName());
                pending.remove(r.vmName());
            } else if (e instanceof VmActionFailed f) {
                pending.remove(f.vmName());
            } else if (e instanceof RangeDegraded d) {
                status = RangeStatus.DEGRADED;
                reason = d.reason();
            } else if (e instanceof RangeRecovered) {
                status = RangeStatus.DEPLOYED;
                reason = null;
                running.addAll(started);
            }
        }
        return new RangeFacts(rangeId, status, dindRemoved, vms, Set.copyOf(running), Set.copyOf(pending), reason);
    }
}

package io.cyroid.rangeview;

import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.ImagesSeeded;
import io.cyroid.messages.NetworkCreated;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRedeployed;
import io.cyroid.messages.RangeAssigned;
import io.cyroid.messages.RangeUnassigned;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.VmStarted;
import io.cyroid.messages.RangeDegraded;
import io.cyroid.messages.RangeRecovered;
import io.cyroid.messages.VmActionFailed;
import io.cyroid.messages.VmActionRequested;
import io.cyroid.messages.VmReset;
import io.cyroid.messages.VmRestarted;
import io.cyroid.messages.VmStopped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/**
 * Builds the range read model ({@link RangeQueries} answers queries over it), and, over a map instead of the read
 * store, a range as it was at any point of its history ({@link RangeReplay}). The read store has no transactions with the token
 * store, so an event may arrive twice: each document remembers the sequence number of the last event applied
 * ({@code version}) and ignores any event at or below it, and every handler sets state rather than accumulating it.
 */
@Component
@ProcessingGroup(RangeProjection.PROCESSING_GROUP)
public class RangeProjection {

    public static final String PROCESSING_GROUP = "range-projection";
    static final String VM_PENDING = "PENDING";
    static final String VM_RUNNING = "RUNNING";
    static final String VM_REMOVED = "REMOVED";
    static final String VM_STOPPED = "STOPPED";

    private final RangeDocuments documents;

    RangeProjection(RangeDocuments documents) {
        this.documents = documents;
    }

    @EventHandler
    void on(RangeRequested event, @Timestamp Instant at, @SequenceNumber long sequence) {
        if (documents.find(event.rangeId()) != null) {
            return; // re-delivered: the document may already be further along
        }
        RangeDocument range = new RangeDocument();
        range.version = sequence;
        range.rangeId = event.rangeId();
        range.name = event.name();
        range.blueprintId = event.blueprintId();
        range.blueprintVersion = event.blueprintVersion();
        range.status = RangeStatus.REQUESTED;
        range.createdBy = event.requestedBy();
        range.redeployOf = event.redeployOf();
        range.createdAt = at;
        range.updatedAt = at;
        event.blueprint().networks().forEach(spec -> {
            RangeDocument.Network network = new RangeDocument.Network();
            network.name = spec.name();
            network.subnet = spec.subnet();
            network.gateway = spec.gateway();
            range.networks.add(network);
        });
        event.blueprint().vms().forEach(spec -> {
            RangeDocument.Vm vm = new RangeDocument.Vm();
            vm.name = spec.name();
            vm.status = VM_PENDING;
            vm.interfaces = new ArrayList<>(spec.interfaces());
            vm.console = spec.console();
            range.vms.add(vm);
        });
        save(range);
    }

    @EventHandler
    void on(DinDCreated event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> {
            range.status = RangeStatus.PROVISIONING;
            range.dind = new RangeDocument.Dind();
            range.dind.containerId = event.containerId();
            range.dind.containerName = event.containerName();
            range.dind.mgmtIp = event.mgmtIp();
            range.dind.dockerHost = event.engine();
        });
    }

    @EventHandler
    void on(NetworkCreated event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> { });
    }

    @EventHandler
    void on(ImagesSeeded event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> { });
    }

    @EventHandler
    void on(VmStarted event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> range.vms.stream().filter(vm -> vm.name.equals(event.vmName()))
                .forEach(vm -> {
                    vm.status = VM_RUNNING;
                    vm.interfaces = new ArrayList<InterfaceSpec>(event.interfaces());
                    vm.pendingAction = null;
                    vm.reason = null;
                }));
    }

    @EventHandler
    void on(VmActionRequested event, @Timestamp Instant at, @SequenceNumber long sequence) {
        updateVm(event.rangeId(), event.vmName(), at, sequence, vm -> vm.pendingAction = event.action().name());
    }

    @EventHandler
    void on(VmStopped event, @Timestamp Instant at, @SequenceNumber long sequence) {
        updateVm(event.rangeId(), event.vmName(), at, sequence, vm -> {
            vm.status = VM_STOPPED;
            vm.pendingAction = null;
            vm.reason = event.reason();
        });
    }

    @EventHandler
    void on(VmRestarted event, @Timestamp Instant at, @SequenceNumber long sequence) {
        updateVm(event.rangeId(), event.vmName(), at, sequence, vm -> {
            vm.status = VM_RUNNING;
            vm.pendingAction = null;
            vm.reason = null;
        });
    }

    @EventHandler
    void on(VmReset event, @Timestamp Instant at, @SequenceNumber long sequence) {
        updateVm(event.rangeId(), event.vmName(), at, sequence, vm -> {
            vm.status = VM_RUNNING;
            vm.pendingAction = null;
            vm.reason = null;
        });
    }

    @EventHandler
    void on(VmActionFailed event, @Timestamp Instant at, @SequenceNumber long sequence) {
        updateVm(event.rangeId(), event.vmName(), at, sequence, vm -> {
            vm.pendingAction = null;
            vm.reason = event.action().name() + " failed: " + event.reason();
        });
    }

    @EventHandler
    void on(RangeDegraded event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> {
            range.status = RangeStatus.DEGRADED;
            range.statusReason = event.reason();
        });
    }

    @EventHandler
    void on(RangeRecovered event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> {
            range.status = RangeStatus.DEPLOYED;
            range.statusReason = null;
            range.vms.forEach(vm -> {
                vm.status = VM_RUNNING;
                vm.reason = null;
            });
        });
    }

    private void updateVm(String rangeId, String vmName, Instant at, long sequence,
                          Consumer<RangeDocument.Vm> change) {
        update(rangeId, at, sequence, range -> range.vms.stream().filter(vm -> vm.name.equals(vmName))
                .forEach(change));
    }

    @EventHandler
    void on(RangeDeployed event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> {
            range.status = RangeStatus.DEPLOYED;
            range.deployedAt = at;
        });
    }

    @EventHandler
    void on(RangeDeploymentFailed event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> {
            range.status = RangeStatus.FAILED;
            range.failureReason = event.step() + ": " + event.reason();
        });
    }

    @EventHandler
    void on(RangeDestroyRequested event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> {
            range.status = RangeStatus.DESTROYING;
            range.statusReason = null;
        });
    }

    @EventHandler
    void on(DinDRemoved event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> range.vms.forEach(vm -> vm.status = VM_REMOVED));
    }

    @EventHandler
    void on(RangeAssigned event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> {
            if (!range.assignees.contains(event.username())) {
                range.assignees.add(event.username());
            }
        });
    }

    @EventHandler
    void on(RangeUnassigned event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> range.assignees.remove(event.username()));
    }

    @EventHandler
    void on(RangeRedeployed event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> {
            if (!range.redeployedAs.contains(event.newRangeId())) {
                range.redeployedAs.add(event.newRangeId());
            }
        });
    }

    @EventHandler
    void on(RangeDestroyed event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.rangeId(), at, sequence, range -> range.status = RangeStatus.DESTROYED);
    }

    @ResetHandler
    void reset() {
        documents.clear();
    }

    private void update(String rangeId, Instant at, long sequence, Consumer<RangeDocument> change) {
        RangeDocument range = documents.find(rangeId);
        if (range == null) {
            return; // its RangeRequested was not projected (a read model reset mid-way); replay rebuilds it
        }
        if (sequence <= range.version) {
            return; // applied already
        }
        change.accept(range);
        range.version = sequence;
        range.updatedAt = at;
        save(range);
    }

    private void save(RangeDocument range) {
        documents.save(range);
    }
}

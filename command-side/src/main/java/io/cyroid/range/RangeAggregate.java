package io.cyroid.range;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.DestroyRange;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.FailDeployment;
import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.ImagesSeeded;
import io.cyroid.messages.NetworkCreated;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RecordDinDCreated;
import io.cyroid.messages.RecordDinDRemoved;
import io.cyroid.messages.RecordImagesSeeded;
import io.cyroid.messages.RecordNetworkCreated;
import io.cyroid.messages.RecordRangeRunning;
import io.cyroid.messages.RecordVmStarted;
import io.cyroid.messages.RequestRange;
import io.cyroid.messages.RecordRedeploy;
import io.cyroid.messages.AssignRange;
import io.cyroid.messages.UnassignRange;
import io.cyroid.messages.RangeAssigned;
import io.cyroid.messages.RangeUnassigned;
import io.cyroid.messages.RangeRedeployed;
import io.cyroid.messages.VmStarted;
import io.cyroid.messages.MarkRangeDegraded;
import io.cyroid.messages.RangeDegraded;
import io.cyroid.messages.RangeRecovered;
import io.cyroid.messages.RecordRangeRecovered;
import io.cyroid.messages.RecordVmAction;
import io.cyroid.messages.RecordVmActionFailed;
import io.cyroid.messages.RecordVmStopped;
import io.cyroid.messages.RequestVmAction;
import io.cyroid.messages.VmAction;
import io.cyroid.messages.VmActionFailed;
import io.cyroid.messages.VmActionRequested;
import io.cyroid.messages.VmReset;
import io.cyroid.messages.VmRestarted;
import io.cyroid.messages.VmStopped;
import io.cyroid.messages.UnknownVmException;
import java.util.HashMap;
import java.util.Map;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A range's life: requested, provisioned step by step, deployed (every VM started and still running) or failed,
 * destroyed.
 * Command handlers validate and {@code apply()}; state changes only in event sourcing handlers.
 *
 * <p>Recording a provisioning fact that is already recorded (same network, same VM) is accepted without a new
 * event: the saga retries a step after a crash, and the retry must not fail the range.
 */
@Aggregate
public class RangeAggregate {

    private static final Set<RangeStatus> PROVISIONING_STATES = EnumSet.of(RangeStatus.REQUESTED,
            RangeStatus.PROVISIONING);

    @AggregateIdentifier
    private String rangeId;
    private Blueprint blueprint;
    private RangeStatus status;
    private String dindContainerId;
    private boolean dindRemoved;
    private final Set<String> createdNetworks = new HashSet<>();
    private boolean imagesSeeded;
    private final Set<String> startedVms = new HashSet<>();
    /** VMs that run now; a VM in startedVms but not here is stopped. */
    private final Set<String> runningVms = new HashSet<>();
    /** VM actions requested and not yet carried out: one at a time per VM. */
    private final Map<String, VmAction> pendingActions = new HashMap<>();
    /** Users the range is assigned to (trainees) or shared with (instructors). */
    private final Set<String> assignees = new HashSet<>();
    /** Ranges that deployed this one's snapshot again. */
    private final Set<String> redeployedAs = new HashSet<>();

    protected RangeAggregate() {
        // for Axon
    }

    @CommandHandler
    public RangeAggregate(RequestRange command) {
        requireText(command.rangeId(), "rangeId");
        requireText(command.name(), "name");
        requireText(command.requestedBy(), "requestedBy");
        if (command.blueprint() == null || command.blueprint().vms().isEmpty()) {
            throw new IllegalArgumentException("a range needs a blueprint with at least one VM");
        }
        apply(new RangeRequested(command.rangeId(), command.name(), command.blueprintId(), command.blueprint(),
                command.requestedBy(), command.blueprintVersion(), command.redeployOf()));
    }

    /** Who else may see and use the range; allowed until it is destroyed. The API checks that the user exists. */
    @CommandHandler
    public void handle(AssignRange command) {
        requireText(command.username(), "username");
        requireText(command.assignedBy(), "assignedBy");
        if (assignees.contains(command.username())) {
            return;
        }
        if (status == RangeStatus.DESTROYED) {
            throw new IllegalTransitionException("range " + rangeId + " is destroyed: it cannot be assigned");
        }
        apply(new RangeAssigned(rangeId, command.username(), command.assignedBy()));
    }

    @CommandHandler
    public void handle(UnassignRange command) {
        requireText(command.unassignedBy(), "unassignedBy");
        if (assignees.contains(command.username())) {
            apply(new RangeUnassigned(rangeId, command.username(), command.unassignedBy()));
        }
    }

    /** A note on the range, not a change of its state: allowed in every state, DESTROYED included. */
    @CommandHandler
    public void handle(RecordRedeploy command) {
        requireText(command.newRangeId(), "newRangeId");
        if (redeployedAs.contains(command.newRangeId())) {
            return; // recorded already
        }
        apply(new RangeRedeployed(rangeId, command.newRangeId(), command.requestedBy()));
    }

    @CommandHandler
    public void handle(RecordDinDCreated command) {
        requireStatus("record a DinD", EnumSet.of(RangeStatus.REQUESTED));
        requireText(command.containerId(), "containerId");
        apply(new DinDCreated(rangeId, command.containerId(), command.containerName(), command.mgmtIp(),
                command.dockerHost())); // the event names it engine since its revision 2
    }

    @CommandHandler
    public void handle(RecordNetworkCreated command) {
        NetworkSpec spec = blueprint.networks().stream().filter(n -> n.name().equals(command.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "network '" + command.name() + "' is not in the blueprint of range " + rangeId));
        if (!spec.subnet().equals(command.subnet()) || !spec.gateway().equals(command.gateway())) {
            throw new IllegalArgumentException("network '" + command.name() + "' must have subnet " + spec.subnet()
                    + " and gateway " + spec.gateway() + ", not " + command.subnet() + " / " + command.gateway());
        }
        if (createdNetworks.contains(command.name()) && PROVISIONING_STATES.contains(status)) {
            return; // a retried step: already recorded
        }
        requireStatus("record a network", EnumSet.of(RangeStatus.PROVISIONING));
        apply(new NetworkCreated(rangeId, command.name(), command.subnet(), command.gateway(),
                command.innerNetworkId()));
    }

    @CommandHandler
    public void handle(RecordImagesSeeded command) {
        if (imagesSeeded && PROVISIONING_STATES.contains(status)) {
            return;
        }
        requireStatus("record seeded images", EnumSet.of(RangeStatus.PROVISIONING));
        apply(new ImagesSeeded(rangeId, List.copyOf(command.images())));
    }

    @CommandHandler
    public void handle(RecordVmStarted command) {
        VmSpec spec = blueprint.vms().stream().filter(v -> v.name().equals(command.vmName())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "VM '" + command.vmName() + "' is not in the blueprint of range " + rangeId));
        if (!Set.copyOf(spec.interfaces()).equals(Set.copyOf(command.interfaces()))) {
            throw new IllegalArgumentException("VM '" + command.vmName() + "' must have exactly the blueprint's"
                    + " addresses " + spec.interfaces() + ", not " + command.interfaces());
        }
        if (startedVms.contains(command.vmName()) && (status == RangeStatus.PROVISIONING
                || status == RangeStatus.DEPLOYED || status == RangeStatus.DEGRADED)) {
            return;
        }
        requireStatus("record a started VM", EnumSet.of(RangeStatus.PROVISIONING));
        if (!imagesSeeded || createdNetworks.size() != blueprint.networks().size()) {
            throw new IllegalTransitionException("range " + rangeId
                    + ": VMs start after the images are seeded and every network exists");
        }
        apply(new VmStarted(rangeId, command.vmName(), command.containerId(), List.copyOf(command.interfaces())));
    }

    /**
     * Deployed only once every VM started and then still ran after the settle time, which the saga checks in one job
     * after the last VM started (the VMs start side by side, so the last VmStarted alone proves nothing).
     */
    @CommandHandler
    public void handle(RecordRangeRunning command) {
        if (status == RangeStatus.DEPLOYED || status == RangeStatus.DEGRADED) {
            return; // a repeated report after a crash
        }
        requireStatus("record the range running", EnumSet.of(RangeStatus.PROVISIONING));
        if (startedVms.size() != blueprint.vms().size()) {
            throw new IllegalTransitionException("range " + rangeId + ": " + startedVms.size() + " of "
                    + blueprint.vms().size() + " VMs started; it runs once every VM has started");
        }
        apply(new RangeDeployed(rangeId));
    }

    @CommandHandler
    public void handle(FailDeployment command) {
        requireStatus("fail the deployment", PROVISIONING_STATES);
        apply(new RangeDeploymentFailed(rangeId, command.step(), Objects.requireNonNullElse(command.reason(),
                "unknown")));
    }

    @CommandHandler
    public void handle(DestroyRange command) {
        requireText(command.requestedBy(), "requestedBy");
        if (status == RangeStatus.DESTROYING || status == RangeStatus.DESTROYED) {
            throw new IllegalTransitionException("range " + rangeId + " is already " + status.name().toLowerCase());
        }
        apply(new RangeDestroyRequested(rangeId, command.requestedBy()));
    }

    /**
     * Idempotent whatever the order: a compensation's removal and a destroy's removal may both report, in either
     * order, and a report that comes after the range is destroyed (or after the compensation was recorded) changes
     * nothing. Refusing it would make the reporter retry for ever.
     */
    @CommandHandler
    public void handle(RecordDinDRemoved command) {
        if (status == RangeStatus.DESTROYED || (status == RangeStatus.FAILED && dindRemoved)) {
            return;
        }
        if (status == RangeStatus.FAILED) {
            apply(new DinDRemoved(rangeId, command.containerId(), command.leftovers())); // compensation
            return;
        }
        requireStatus("record the DinD removed", EnumSet.of(RangeStatus.DESTROYING));
        if (!dindRemoved) {
            apply(new DinDRemoved(rangeId, command.containerId(), command.leftovers()));
        }
        apply(new RangeDestroyed(rangeId));
    }

    @CommandHandler
    public void handle(RequestVmAction command) {
        requireText(command.requestedBy(), "requestedBy");
        if (command.action() == null) {
            throw new IllegalArgumentException("action is required");
        }
        VmSpec vm = vm(command.vmName());
        requireStatus(command.action().name().toLowerCase() + " VM " + vm.name(), EnumSet.of(RangeStatus.DEPLOYED));
        VmAction pending = pendingActions.get(vm.name());
        if (pending != null) {
            throw new IllegalTransitionException("VM " + vm.name() + " of range " + rangeId + " is busy: "
                    + pending.name().toLowerCase() + " is under way");
        }
        boolean running = runningVms.contains(vm.name());
        if (command.action() == VmAction.START && running) {
            throw new IllegalTransitionException("VM " + vm.name() + " of range " + rangeId + " is already running");
        }
        if (command.action() == VmAction.STOP && !running) {
            throw new IllegalTransitionException("VM " + vm.name() + " of range " + rangeId + " is already stopped");
        }
        apply(new VmActionRequested(rangeId, vm.name(), command.action(), command.requestedBy()));
    }

    @CommandHandler
    public void handle(RecordVmAction command) {
        VmSpec vm = vm(command.vmName());
        if (pendingActions.get(vm.name()) != command.action()) {
            return; // a repeated report: already recorded
        }
        requireStatus("record a VM action", EnumSet.of(RangeStatus.DEPLOYED, RangeStatus.DEGRADED));
        switch (command.action()) {
            case START -> apply(new VmStarted(rangeId, vm.name(), command.containerId(),
                    List.copyOf(vm.interfaces())));
            case STOP -> apply(new VmStopped(rangeId, vm.name(), command.by(), null));
            case RESTART -> apply(new VmRestarted(rangeId, vm.name(), command.containerId(), command.by()));
            case RESET -> apply(new VmReset(rangeId, vm.name(), command.containerId(), command.by()));
        }
    }

    @CommandHandler
    public void handle(RecordVmActionFailed command) {
        VmSpec vm = vm(command.vmName());
        if (pendingActions.get(vm.name()) != command.action()) {
            return;
        }
        apply(new VmActionFailed(rangeId, vm.name(), command.action(),
                Objects.requireNonNullElse(command.reason(), "unknown")));
    }

    /** A VM stopped by itself. Ignored unless the range is up and the VM was running: drift is reported repeatedly. */
    @CommandHandler
    public void handle(RecordVmStopped command) {
        VmSpec vm = vm(command.vmName());
        if ((status != RangeStatus.DEPLOYED && status != RangeStatus.DEGRADED) || !runningVms.contains(vm.name())
                || pendingActions.containsKey(vm.name())) {
            return;
        }
        apply(new VmStopped(rangeId, vm.name(), "system", command.reason()));
    }

    @CommandHandler
    public void handle(MarkRangeDegraded command) {
        if (status == RangeStatus.DEGRADED) {
            return;
        }
        requireStatus("mark the range degraded", EnumSet.of(RangeStatus.DEPLOYED));
        apply(new RangeDegraded(rangeId, Objects.requireNonNullElse(command.reason(), "unknown")));
    }

    @CommandHandler
    public void handle(RecordRangeRecovered command) {
        if (status == RangeStatus.DEPLOYED) {
            return;
        }
        requireStatus("record the range recovered", EnumSet.of(RangeStatus.DEGRADED));
        apply(new RangeRecovered(rangeId, command.note()));
    }

    private VmSpec vm(String name) {
        return blueprint.vms().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownVmException("range " + rangeId + " has no VM '" + name + "'"));
    }

    @EventSourcingHandler
    void on(RangeAssigned event) {
        assignees.add(event.username());
    }

    @EventSourcingHandler
    void on(RangeUnassigned event) {
        assignees.remove(event.username());
    }

    @EventSourcingHandler
    void on(RangeRedeployed event) {
        redeployedAs.add(event.newRangeId());
    }

    @EventSourcingHandler
    void on(RangeRequested event) {
        rangeId = event.rangeId();
        blueprint = event.blueprint();
        status = RangeStatus.REQUESTED;
    }

    @EventSourcingHandler
    void on(DinDCreated event) {
        dindContainerId = event.containerId();
        status = RangeStatus.PROVISIONING;
    }

    @EventSourcingHandler
    void on(NetworkCreated event) {
        createdNetworks.add(event.name());
    }

    @EventSourcingHandler
    void on(ImagesSeeded event) {
        imagesSeeded = true;
    }

    @EventSourcingHandler
    void on(VmStarted event) {
        startedVms.add(event.vmName());
        runningVms.add(event.vmName());
        pendingActions.remove(event.vmName());
    }

    @EventSourcingHandler
    void on(VmActionRequested event) {
        pendingActions.put(event.vmName(), event.action());
    }

    @EventSourcingHandler
    void on(VmStopped event) {
        runningVms.remove(event.vmName());
        pendingActions.remove(event.vmName());
    }

    @EventSourcingHandler
    void on(VmRestarted event) {
        runningVms.add(event.vmName());
        pendingActions.remove(event.vmName());
    }

    @EventSourcingHandler
    void on(VmReset event) {
        runningVms.add(event.vmName());
        pendingActions.remove(event.vmName());
    }

    @EventSourcingHandler
    void on(VmActionFailed event) {
        pendingActions.remove(event.vmName());
    }

    @EventSourcingHandler
    void on(RangeDegraded event) {
        status = RangeStatus.DEGRADED;
    }

    @EventSourcingHandler
    void on(RangeRecovered event) {
        status = RangeStatus.DEPLOYED;
        runningVms.addAll(startedVms); // the recovery starts every VM
    }

    @EventSourcingHandler
    void on(RangeDeployed event) {
        status = RangeStatus.DEPLOYED;
    }

    @EventSourcingHandler
    void on(RangeDeploymentFailed event) {
        status = RangeStatus.FAILED;
    }

    @EventSourcingHandler
    void on(RangeDestroyRequested event) {
        status = RangeStatus.DESTROYING;
    }

    @EventSourcingHandler
    void on(DinDRemoved event) {
        dindRemoved = true;
    }

    @EventSourcingHandler
    void on(RangeDestroyed event) {
        status = RangeStatus.DESTROYED;
    }

    private void requireStatus(String action, Set<RangeStatus> allowed) {
        if (!allowed.contains(status)) {
            throw new IllegalTransitionException("cannot " + action + ": range " + rangeId + " is "
                    + status.name().toLowerCase());
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}

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
import io.cyroid.messages.RecordVmStarted;
import io.cyroid.messages.RequestRange;
import io.cyroid.messages.VmStarted;
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
 * A range's life: requested, provisioned step by step, deployed or failed, destroyed.
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
                command.requestedBy()));
    }

    @CommandHandler
    public void handle(RecordDinDCreated command) {
        requireStatus("record a DinD", EnumSet.of(RangeStatus.REQUESTED));
        requireText(command.containerId(), "containerId");
        apply(new DinDCreated(rangeId, command.containerId(), command.containerName(), command.mgmtIp(),
                command.dockerHost()));
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
        if (createdNetworks.size() != blueprint.networks().size()) {
            throw new IllegalTransitionException("range " + rangeId + ": images are seeded after all networks exist");
        }
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
        if (startedVms.contains(command.vmName())
                && (status == RangeStatus.PROVISIONING || status == RangeStatus.DEPLOYED)) {
            return;
        }
        requireStatus("record a started VM", EnumSet.of(RangeStatus.PROVISIONING));
        if (!imagesSeeded) {
            throw new IllegalTransitionException("range " + rangeId + ": VMs start after the images are seeded");
        }
        apply(new VmStarted(rangeId, command.vmName(), command.containerId(), List.copyOf(command.interfaces())));
        if (startedVms.size() == blueprint.vms().size()) {
            apply(new RangeDeployed(rangeId));
        }
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

    @CommandHandler
    public void handle(RecordDinDRemoved command) {
        if (status == RangeStatus.FAILED && !dindRemoved) {
            apply(new DinDRemoved(rangeId, command.containerId()));   // compensation after a failed deploy
            return;
        }
        requireStatus("record the DinD removed", EnumSet.of(RangeStatus.DESTROYING));
        if (!dindRemoved) {
            apply(new DinDRemoved(rangeId, command.containerId()));
        }
        apply(new RangeDestroyed(rangeId));
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

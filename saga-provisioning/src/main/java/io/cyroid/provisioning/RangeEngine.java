package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.VmAction;
import java.util.List;
import java.util.Optional;

/**
 * What Cyroid needs of a container engine, one call per provisioning step. Every call is idempotent: after a crash
 * the saga repeats the step it was in, and the engine must find what it already built instead of failing.
 * Implementations block; callers must not be on an event-loop thread.
 */
public interface RangeEngine {

    /** Creates and starts the range's DinD container, and returns once its inner engine answers. */
    Dind createDind(String rangeId, ResourceSpec resources);

    /** Creates a network inside the range's inner engine with exactly the blueprint's subnet and gateway. */
    String createNetwork(String rangeId, NetworkSpec network);

    /** Copies images from the host engine into the inner engine (save, then load: no registry involved). */
    void seedImages(String rangeId, List<String> images);

    /** Creates a VM with its exact IPs set before it first runs, starts it, and returns what the engine reports. */
    StartedVm startVm(String rangeId, VmSpec vm);

    /**
     * Checks that every VM still runs; fails naming the first VM that exited, with its exit code and log tail. It does
     * not wait: a VM whose command dies at once may still look running right after its start, so the caller calls it
     * a settle time after the last start (the {@link StepWorker} holds the job back, without taking an engine slot).
     */
    void confirmRunning(String rangeId, List<VmSpec> vms);

    /**
     * Carries out an instructor's action on one VM of a deployed range: START, STOP, RESTART, or RESET (remove the
     * container and create it again from the blueprint, with the same addresses). Returns the VM after it.
     */
    StartedVm vmAction(String rangeId, VmSpec vm, VmAction action);

    /** Removes every host object labelled with the range id; returns the DinD container id if there was one. */
    Optional<String> removeRange(String rangeId);

    record Dind(String containerId, String containerName, String mgmtIp, String dockerHost) {
    }

    record StartedVm(String containerId, List<InterfaceSpec> interfaces) {
    }
}

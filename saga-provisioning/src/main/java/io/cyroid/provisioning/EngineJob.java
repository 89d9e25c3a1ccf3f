package io.cyroid.provisioning;

import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.DeploymentStep;
import io.cyroid.messages.FailDeployment;
import io.cyroid.messages.RecordDinDCreated;
import io.cyroid.messages.RecordDinDRemoved;
import io.cyroid.messages.RecordImagesSeeded;
import io.cyroid.messages.RecordNetworkCreated;
import io.cyroid.messages.RecordRangeRunning;
import io.cyroid.messages.RecordVmAction;
import io.cyroid.messages.RecordVmActionFailed;
import io.cyroid.messages.RecordVmStarted;
import io.cyroid.messages.VmAction;
import java.util.List;

/**
 * One piece of engine work that the saga decided on and the {@link StepWorker} carries out, away from Axon's
 * threads and transactions. A job knows the command that records its success and the one that records its failure:
 * the worker reports the outcome to the range, whose event tells the saga what to do next.
 */
public sealed interface EngineJob {

    String rangeId();

    /** Unique among a range's jobs in flight: "dind", "network:lan", "images", "vm:web", "confirm", "remove",
     * "action:web". */
    String key();

    /** The step named in a failure. */
    String step();

    /** The engine work; returns the command that records it. */
    Object perform(RangeEngine engine);

    /** The command that records a failure after the retries. */
    Object failure(String reason);

    /** Whether the worker must hold the job back for the VM settle time before it queues it. */
    default boolean afterSettleTime() {
        return false;
    }

    record CreateDind(String rangeId, ResourceSpec resources) implements EngineJob {
        public String key() { return "dind"; }
        public String step() { return DeploymentStep.CREATE_DIND; }
        public Object perform(RangeEngine engine) {
            RangeEngine.Dind dind = engine.createDind(rangeId, resources);
            return new RecordDinDCreated(rangeId, dind.containerId(), dind.containerName(), dind.mgmtIp(),
                    dind.dockerHost());
        }
        public Object failure(String reason) { return new FailDeployment(rangeId, step(), reason); }
    }

    record CreateNetwork(String rangeId, NetworkSpec network) implements EngineJob {
        public String key() { return "network:" + network.name(); }
        public String step() { return DeploymentStep.CREATE_NETWORK; }
        public Object perform(RangeEngine engine) {
            return new RecordNetworkCreated(rangeId, network.name(), network.subnet(), network.gateway(),
                    engine.createNetwork(rangeId, network));
        }
        public Object failure(String reason) {
            return new FailDeployment(rangeId, step(), "network " + network.name() + ": " + reason);
        }
    }

    record SeedImages(String rangeId, List<String> images) implements EngineJob {
        public String key() { return "images"; }
        public String step() { return DeploymentStep.SEED_IMAGES; }
        public Object perform(RangeEngine engine) {
            engine.seedImages(rangeId, images);
            return new RecordImagesSeeded(rangeId, images);
        }
        public Object failure(String reason) { return new FailDeployment(rangeId, step(), reason); }
    }

    /** Starts one VM; the VMs of a range start side by side, and {@link ConfirmRunning} checks them afterwards. */
    record StartVm(String rangeId, VmSpec vm) implements EngineJob {
        public String key() { return "vm:" + vm.name(); }
        public String step() { return DeploymentStep.START_VM; }
        public Object perform(RangeEngine engine) {
            RangeEngine.StartedVm started = engine.startVm(rangeId, vm);
            return new RecordVmStarted(rangeId, vm.name(), started.containerId(), started.interfaces());
        }
        public Object failure(String reason) { return new FailDeployment(rangeId, step(), reason); }
    }

    /**
     * After the last VM started: every VM must still run, or the range fails. The worker holds it back for the
     * settle time (a VM whose command dies at once still looks running right after its start) without taking an
     * engine slot, so the check is one quick inspection per VM, paid once per range. Its failure names step
     * START_VM, as before: to the instructor it is a VM that did not start, and the message names the VM.
     */
    record ConfirmRunning(String rangeId, List<VmSpec> vms) implements EngineJob {
        public String key() { return "confirm"; }
        public String step() { return DeploymentStep.START_VM; }
        @Override
        public boolean afterSettleTime() { return true; }
        public Object perform(RangeEngine engine) {
            engine.confirmRunning(rangeId, vms);
            return new RecordRangeRunning(rangeId);
        }
        public Object failure(String reason) { return new FailDeployment(rangeId, step(), reason); }
    }

    /** Compensation and destroy alike: everything labelled with the range id goes. */
    record RemoveRange(String rangeId) implements EngineJob {
        public String key() { return "remove"; }
        public String step() { return DeploymentStep.REMOVE; }
        public Object perform(RangeEngine engine) {
            return new RecordDinDRemoved(rangeId, engine.removeRange(rangeId).orElse(null));
        }
        /** The range is destroyed all the same; the reconciler removes what is left once the engine answers. */
        public Object failure(String reason) {
            return new RecordDinDRemoved(rangeId, null, reason);
        }
    }

    record ActOnVm(String rangeId, VmSpec vm, VmAction action, String by) implements EngineJob {
        public String key() { return "action:" + vm.name(); }
        public String step() { return DeploymentStep.VM_ACTION; }
        public Object perform(RangeEngine engine) {
            RangeEngine.StartedVm after = engine.vmAction(rangeId, vm, action);
            return new RecordVmAction(rangeId, vm.name(), action, after.containerId(), after.interfaces(), by);
        }
        public Object failure(String reason) {
            return new RecordVmActionFailed(rangeId, vm.name(), action, reason);
        }
    }
}

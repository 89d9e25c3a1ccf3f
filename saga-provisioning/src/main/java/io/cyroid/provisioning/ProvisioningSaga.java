package io.cyroid.provisioning;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.DeploymentStep;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.FailDeployment;
import io.cyroid.messages.ImagesSeeded;
import io.cyroid.messages.NetworkCreated;
import io.cyroid.messages.ProvisioningNodeStarted;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RecordDinDRemoved;
import io.cyroid.messages.RecordVmActionFailed;
import io.cyroid.messages.VmAction;
import io.cyroid.messages.VmActionFailed;
import io.cyroid.messages.VmActionRequested;
import io.cyroid.messages.VmReset;
import io.cyroid.messages.VmRestarted;
import io.cyroid.messages.VmStarted;
import io.cyroid.messages.VmStopped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a range's engine work; the {@link StepWorker} does it, away from Axon's threads, and reports each outcome
 * to the range as a command. The saga reacts to the resulting events:
 * <ul>
 *   <li>RangeRequested: create the DinD. DinDCreated: create every network and seed the images, all at once.
 *       Once both are done: start every VM, all at once (they depend only on the networks and the images; the
 *       worker's engine limit bounds them). Once every VM has started: one job checks, after the settle time, that
 *       they all still run, and records the range running, which deploys it.</li>
 *   <li>Every job has a persisted step deadline ({@code STEP_TIMEOUT}); one that passes fails the range naming the
 *       step (a removal is tried again, then recorded with its leftovers for the reconciler).</li>
 *   <li>RangeDeploymentFailed or RangeDestroyRequested: remove everything labelled with the range, whichever comes
 *       first; the aggregate accepts the removal's record in any order, so the two never wedge each other.</li>
 *   <li>VmActionRequested: start, stop, restart or reset one VM of a deployed range.</li>
 * </ul>
 * The jobs in flight are part of the saga's stored state: after a restart the node announces itself
 * ({@link ProvisioningNodeStarted}) and every saga with work in flight there hands it to the worker again.
 * Resources (worker, deadlines, gateway, the range's blueprint snapshot) arrive as handler parameters and are never
 * stored: the saga keeps only the names it decides on, and builds each job from {@link RangeBlueprints}. Sagas
 * stored before that hold the whole snapshot in a {@code blueprint} field, which is ignored when they load; their
 * names are then read from the snapshot once.
 */
@Saga
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ProvisioningSaga {

    static final String RANGE_ID = "rangeId";
    /** Association with the node whose worker runs this saga's jobs. */
    static final String NODE = "provisioning-node";
    /** The whole deployment's deadline: past it, the range fails (step TIMEOUT) and is compensated. */
    static final String DEPLOY_DEADLINE = "deploy-timeout";
    /** One job's time limit. */
    static final String STEP_DEADLINE = "step-timeout";

    private static final Logger log = LoggerFactory.getLogger(ProvisioningSaga.class);

    private String rangeId;
    /** The blueprint's networks and VMs by name; null in a saga stored before they were kept (see {@link #names}). */
    private List<String> networks;
    private List<String> vms;
    private List<String> createdNetworks = new ArrayList<>();
    private boolean imagesSeeded;
    private List<String> startedVms = new ArrayList<>();
    private boolean deployed;
    /** Failed or being destroyed: no provisioning step starts any more. */
    private boolean stopped;
    private String deployDeadlineId;
    private String node;
    /** Jobs handed to the worker and not yet recorded, by key. */
    private Map<String, InFlight> inFlight = new LinkedHashMap<>();

    /** What the saga must know to hand a job over again, and to cancel its deadline. */
    record InFlight(String key, String step, String deadlineId, int attempt, String vm, VmAction action, String by) {
    }

    /** The payload of a step deadline. */
    public record StepTimedOut(String key, int attempt, String timeout) {
    }

    /** The deploy deadline's payload, so the handler can say which timeout passed. */
    public record DeployTimedOut(String rangeId, String timeout) {
    }

    @StartSaga
    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeRequested event, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties) {
        rangeId = event.rangeId();
        names(event.blueprint());
        node = nodeId(properties);
        deployDeadlineId = deadlines.schedule(properties.getDeployTimeout(), DEPLOY_DEADLINE,
                new DeployTimedOut(rangeId, readable(properties.getDeployTimeout())));
        dispatch(new EngineJob.CreateDind(rangeId, event.blueprint().resources()), worker, deadlines, properties);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(DinDCreated event, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties, RangeBlueprints blueprints) {
        done("dind", deadlines);
        if (stopped) {
            return;
        }
        Blueprint blueprint = blueprints.of(rangeId);
        // independent of one another: the worker runs them side by side, within its limit
        for (NetworkSpec network : blueprint.networks()) {
            dispatch(new EngineJob.CreateNetwork(rangeId, network), worker, deadlines, properties);
        }
        dispatch(new EngineJob.SeedImages(rangeId, blueprint.images()), worker, deadlines, properties);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(NetworkCreated event, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties, RangeBlueprints blueprints) {
        done("network:" + event.name(), deadlines);
        if (!createdNetworks.contains(event.name())) {
            createdNetworks.add(event.name());
        }
        provisionNext(worker, deadlines, properties, blueprints);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(ImagesSeeded event, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties, RangeBlueprints blueprints) {
        done("images", deadlines);
        imagesSeeded = true;
        provisionNext(worker, deadlines, properties, blueprints);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(VmStarted event, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties, RangeBlueprints blueprints) {
        if (deployed) {
            done("action:" + event.vmName(), deadlines); // a VM action: START
            return;
        }
        done("vm:" + event.vmName(), deadlines);
        if (!startedVms.contains(event.vmName())) {
            startedVms.add(event.vmName());
        }
        provisionNext(worker, deadlines, properties, blueprints);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeDeployed event, DeadlineManager deadlines) {
        done("confirm", deadlines);
        deployed = true;
        cancelDeployDeadline(deadlines);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(VmActionRequested event, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties, RangeBlueprints blueprints) {
        if (stopped) {
            return;
        }
        VmSpec vm = blueprints.of(rangeId).vms().stream().filter(v -> v.name().equals(event.vmName())).findFirst()
                .orElseThrow();
        dispatch(new EngineJob.ActOnVm(rangeId, vm, event.action(), event.requestedBy()), worker, deadlines,
                properties);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(VmStopped event, DeadlineManager deadlines) {
        done("action:" + event.vmName(), deadlines);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(VmRestarted event, DeadlineManager deadlines) {
        done("action:" + event.vmName(), deadlines);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(VmReset event, DeadlineManager deadlines) {
        done("action:" + event.vmName(), deadlines);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(VmActionFailed event, DeadlineManager deadlines) {
        done("action:" + event.vmName(), deadlines);
    }

    /** The deployment took too long: fail it like a failed step, which compensates. */
    @DeadlineHandler(deadlineName = DEPLOY_DEADLINE)
    public void on(DeployTimedOut deadline, CommandGateway commands) {
        deployDeadlineId = null;
        if (stopped || deployed) {
            return;
        }
        fail(DeploymentStep.TIMEOUT, "not deployed within " + deadline.timeout() + " (DEPLOY_TIMEOUT)", commands);
    }

    /**
     * A job did not report within its step's limit. The job itself is left alone (it may be in the middle of a
     * stream); its late report is refused or ignored. A provisioning step fails the range; a VM action fails; a
     * removal is handed over again, and after its attempts the range is recorded removed with leftovers, which the
     * reconciler removes once the engine answers.
     */
    @DeadlineHandler(deadlineName = STEP_DEADLINE)
    public void on(StepTimedOut deadline, CommandGateway commands, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties) {
        InFlight job = inFlight.get(deadline.key());
        if (job == null || job.attempt() != deadline.attempt()) {
            return; // recorded meanwhile
        }
        String reason = job.step() + " did not finish within " + deadline.timeout() + " (step time limit)";
        log.warn("range {}: {}", rangeId, reason);
        switch (job.step()) {
            case DeploymentStep.REMOVE -> {
                inFlight.remove(job.key());
                if (job.attempt() < properties.getStepAttempts()) {
                    dispatch(new EngineJob.RemoveRange(rangeId), job.attempt() + 1, worker, deadlines, properties);
                } else {
                    send(new RecordDinDRemoved(rangeId, null, reason), commands);
                }
            }
            case DeploymentStep.VM_ACTION -> {
                inFlight.remove(job.key());
                send(new RecordVmActionFailed(rangeId, job.vm(), job.action(), reason), commands);
            }
            default -> {
                if (!stopped) {
                    fail(job.step(), reason.substring(job.step().length() + 1), commands);
                }
            }
        }
    }

    /** Compensation: nothing of a failed range stays on the host. The range itself stays FAILED. */
    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeDeploymentFailed event, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties) {
        removeEverything(worker, deadlines, properties);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeDestroyRequested event, StepWorker worker, DeadlineManager deadlines,
                   ProvisioningProperties properties) {
        removeEverything(worker, deadlines, properties);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(DinDRemoved event, DeadlineManager deadlines) {
        done("remove", deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeDestroyed event, DeadlineManager deadlines, StepWorker worker) {
        worker.forget(rangeId);
        for (String key : List.copyOf(inFlight.keySet())) {
            done(key, deadlines);
        }
        cancelDeployDeadline(deadlines);
        log.info("range {}: destroyed, provisioning saga ends", rangeId);
    }

    /** The node restarted: the jobs it held in memory are gone, so hand them over again. */
    @SagaEventHandler(associationProperty = "nodeId", keyName = NODE)
    public void on(ProvisioningNodeStarted event, StepWorker worker, RangeBlueprints blueprints) {
        for (InFlight job : inFlight.values()) {
            log.info("range {}: {} handed over again after the node restarted", rangeId, job.key());
            worker.submit(jobFor(job, blueprints));
        }
    }

    /**
     * Once every network exists and the images are seeded, every VM not yet started or in flight is handed over at
     * once; once every VM has started, the check that they all still run. Idempotent: a re-delivered event hands
     * nothing over twice.
     */
    private void provisionNext(StepWorker worker, DeadlineManager deadlines, ProvisioningProperties properties,
                               RangeBlueprints blueprints) {
        if (networks == null) {
            names(blueprints.of(rangeId));
        }
        if (stopped || deployed || !imagesSeeded || createdNetworks.size() < networks.size()) {
            return;
        }
        List<String> pending = vms.stream()
                .filter(vm -> !startedVms.contains(vm) && !inFlight.containsKey("vm:" + vm)).toList();
        if (!pending.isEmpty()) {
            for (VmSpec vm : blueprints.of(rangeId).vms()) {
                if (pending.contains(vm.name())) {
                    dispatch(new EngineJob.StartVm(rangeId, vm), worker, deadlines, properties);
                }
            }
        } else if (startedVms.containsAll(vms) && !inFlight.containsKey("confirm")) {
            dispatch(new EngineJob.ConfirmRunning(rangeId, blueprints.of(rangeId).vms()), worker, deadlines,
                    properties);
        }
    }

    /** Keeps what the saga decides on: the names, not the snapshot. */
    private void names(Blueprint blueprint) {
        networks = blueprint.networks().stream().map(NetworkSpec::name).toList();
        vms = blueprint.vms().stream().map(VmSpec::name).toList();
    }

    private void removeEverything(StepWorker worker, DeadlineManager deadlines, ProvisioningProperties properties) {
        stopped = true;
        cancelDeployDeadline(deadlines);
        for (String key : List.copyOf(inFlight.keySet())) {
            if (!key.equals("remove")) {
                done(key, deadlines); // their late outcomes are refused by the range
            }
        }
        if (!inFlight.containsKey("remove")) {
            dispatch(new EngineJob.RemoveRange(rangeId), worker, deadlines, properties);
        }
    }

    private void dispatch(EngineJob job, StepWorker worker, DeadlineManager deadlines,
                          ProvisioningProperties properties) {
        dispatch(job, 1, worker, deadlines, properties);
    }

    private void dispatch(EngineJob job, int attempt, StepWorker worker, DeadlineManager deadlines,
                          ProvisioningProperties properties) {
        Duration limit = properties.stepTimeout(job.step());
        String deadlineId = deadlines.schedule(limit, STEP_DEADLINE,
                new StepTimedOut(job.key(), attempt, readable(limit)));
        InFlight record = job instanceof EngineJob.ActOnVm act
                ? new InFlight(job.key(), job.step(), deadlineId, attempt, act.vm().name(), act.action(), act.by())
                : new InFlight(job.key(), job.step(), deadlineId, attempt, null, null, null);
        if (inFlight.isEmpty()) {
            SagaLifecycle.associateWith(NODE, node == null ? nodeId(properties) : node);
        }
        inFlight.put(job.key(), record);
        worker.submit(job);
    }

    /** The job's outcome is recorded: its deadline goes, and so does the node association once nothing is left. */
    private void done(String key, DeadlineManager deadlines) {
        InFlight job = inFlight.remove(key);
        if (job != null) {
            deadlines.cancelSchedule(STEP_DEADLINE, job.deadlineId());
            if (inFlight.isEmpty() && node != null) {
                SagaLifecycle.removeAssociationWith(NODE, node);
            }
        }
    }

    /** The job of a key in flight, rebuilt from the blueprint snapshot. */
    private EngineJob jobFor(InFlight job, RangeBlueprints blueprints) {
        String key = job.key();
        if (key.equals("remove")) {
            return new EngineJob.RemoveRange(rangeId); // needs no snapshot
        }
        Blueprint blueprint = blueprints.of(rangeId);
        if (key.equals("dind")) {
            return new EngineJob.CreateDind(rangeId, blueprint.resources());
        }
        if (key.equals("images")) {
            return new EngineJob.SeedImages(rangeId, blueprint.images());
        }
        if (key.equals("confirm")) {
            return new EngineJob.ConfirmRunning(rangeId, blueprint.vms());
        }
        if (key.startsWith("network:")) {
            String name = key.substring("network:".length());
            return new EngineJob.CreateNetwork(rangeId, blueprint.networks().stream()
                    .filter(n -> n.name().equals(name)).findFirst().orElseThrow());
        }
        VmSpec vm = blueprint.vms().stream().filter(v -> v.name().equals(job.vm() != null ? job.vm()
                : key.substring(key.indexOf(':') + 1))).findFirst().orElseThrow();
        if (key.startsWith("action:")) {
            return new EngineJob.ActOnVm(rangeId, vm, job.action(), job.by());
        }
        return new EngineJob.StartVm(rangeId, vm);
    }

    private void fail(String step, String reason, CommandGateway commands) {
        log.warn("range {}: step {} failed: {}", rangeId, step, reason);
        send(new FailDeployment(rangeId, step, reason), commands);
    }

    /** A quick command to the range (no engine work); its refusal means the range moved on, which is fine. */
    private void send(Object command, CommandGateway commands) {
        try {
            commands.sendAndWait(command);
        } catch (RuntimeException refused) {
            log.info("range {}: {} not recorded: {}", rangeId, command.getClass().getSimpleName(),
                    refused.getMessage());
        }
    }

    private void cancelDeployDeadline(DeadlineManager deadlines) {
        if (deployDeadlineId != null) {
            deadlines.cancelSchedule(DEPLOY_DEADLINE, deployDeadlineId);
            deployDeadlineId = null;
        }
    }

    static String nodeId(ProvisioningProperties properties) {
        return ProvisioningNode.id(properties);
    }

    static String readable(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}

package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.DeploymentStep;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.FailDeployment;
import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.ImagesSeeded;
import io.cyroid.messages.NetworkCreated;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RecordDinDCreated;
import io.cyroid.messages.RecordDinDRemoved;
import io.cyroid.messages.RecordImagesSeeded;
import io.cyroid.messages.RecordNetworkCreated;
import io.cyroid.messages.RecordVmStarted;
import io.cyroid.messages.VmStarted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions one range, one engine step per event: each step's result is recorded as a command on the range, and
 * the resulting event triggers the next step. After a crash the processor re-delivers the event whose step did not
 * finish, and the step (idempotent in the engine and in the aggregate) runs again. A failed step fails the range and
 * compensates by removing everything labelled with the range id; a destroy request does the same.
 *
 * <p>Engine and command gateway arrive as handler parameters, so the saga's stored state is only its own fields.
 */
@Saga
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public class ProvisioningSaga {

    static final String RANGE_ID = "rangeId";
    /** The whole deployment's deadline: past it, the range fails (step TIMEOUT) and is compensated. */
    static final String DEPLOY_DEADLINE = "deploy-timeout";

    private static final Logger log = LoggerFactory.getLogger(ProvisioningSaga.class);

    private String rangeId;
    private Blueprint blueprint;
    private List<String> createdNetworks = new ArrayList<>();
    private List<String> startedVms = new ArrayList<>();
    private boolean stopped;
    private String deployDeadlineId;

    @StartSaga
    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeRequested event, RangeEngine engine, CommandGateway commands, DeadlineManager deadlines,
                   ProvisioningProperties properties) {
        rangeId = event.rangeId();
        blueprint = event.blueprint();
        deployDeadlineId = deadlines.schedule(properties.getDeployTimeout(), DEPLOY_DEADLINE,
                new DeployTimedOut(rangeId, readable(properties.getDeployTimeout())));
        step(DeploymentStep.CREATE_DIND, commands, () -> {
            RangeEngine.Dind dind = engine.createDind(rangeId, blueprint.resources());
            return new RecordDinDCreated(rangeId, dind.containerId(), dind.containerName(), dind.mgmtIp(),
                    dind.dockerHost());
        });
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(DinDCreated event, RangeEngine engine, CommandGateway commands) {
        createNextNetworkOrSeed(engine, commands);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(NetworkCreated event, RangeEngine engine, CommandGateway commands) {
        if (!createdNetworks.contains(event.name())) {
            createdNetworks.add(event.name());
        }
        createNextNetworkOrSeed(engine, commands);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(ImagesSeeded event, RangeEngine engine, CommandGateway commands) {
        startNextVm(engine, commands);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(VmStarted event, RangeEngine engine, CommandGateway commands) {
        if (!startedVms.contains(event.vmName())) {
            startedVms.add(event.vmName());
        }
        startNextVm(engine, commands); // the aggregate itself declares the range deployed after the last VM
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeDeployed event, DeadlineManager deadlines) {
        cancelDeployDeadline(deadlines);
    }

    /** The deployment took too long: fail it like a failed step, which compensates. */
    @DeadlineHandler(deadlineName = DEPLOY_DEADLINE)
    public void on(DeployTimedOut deadline, CommandGateway commands) {
        deployDeadlineId = null;
        if (stopped) {
            return;
        }
        fail(DeploymentStep.TIMEOUT, "not deployed within " + deadline.timeout() + " (DEPLOY_TIMEOUT)", commands);
    }

    /** Compensation: nothing of a failed range stays on the host. The range itself stays FAILED. */
    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeDeploymentFailed event, RangeEngine engine, CommandGateway commands,
                   DeadlineManager deadlines) {
        stopped = true;
        cancelDeployDeadline(deadlines);
        removeEverything(engine, commands);
    }

    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeDestroyRequested event, RangeEngine engine, CommandGateway commands,
                   DeadlineManager deadlines) {
        stopped = true;
        cancelDeployDeadline(deadlines);
        removeEverything(engine, commands);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = RANGE_ID)
    public void on(RangeDestroyed event) {
        log.info("range {}: destroyed, provisioning saga ends", rangeId);
    }

    private void createNextNetworkOrSeed(RangeEngine engine, CommandGateway commands) {
        Optional<NetworkSpec> next = blueprint.networks().stream()
                .filter(n -> !createdNetworks.contains(n.name())).findFirst();
        if (next.isPresent()) {
            NetworkSpec network = next.get();
            step(DeploymentStep.CREATE_NETWORK, commands, () -> new RecordNetworkCreated(rangeId, network.name(),
                    network.subnet(), network.gateway(), engine.createNetwork(rangeId, network)));
        } else {
            step(DeploymentStep.SEED_IMAGES, commands, () -> {
                engine.seedImages(rangeId, blueprint.images());
                return new RecordImagesSeeded(rangeId, blueprint.images());
            });
        }
    }

    private void startNextVm(RangeEngine engine, CommandGateway commands) {
        List<VmSpec> pending = blueprint.vms().stream().filter(v -> !startedVms.contains(v.name())).toList();
        if (pending.isEmpty()) {
            return;
        }
        VmSpec vm = pending.get(0);
        step(DeploymentStep.START_VM, commands, () -> {
            RangeEngine.StartedVm started = engine.startVm(rangeId, vm);
            if (pending.size() == 1) {
                // the last VM: before the range counts as deployed, every VM must still be running
                engine.confirmRunning(rangeId, blueprint.vms());
            }
            return new RecordVmStarted(rangeId, vm.name(), started.containerId(), started.interfaces());
        });
    }

    /** Runs one engine step and records its result; any failure fails the range, naming the step. */
    private void step(String step, CommandGateway commands, Supplier<Object> work) {
        if (stopped) {
            return;
        }
        try {
            commands.sendAndWait(work.get());
        } catch (IllegalTransitionException e) {
            // the range moved on meanwhile (a destroy request): its own handler cleans up
            log.info("range {}: step {} not recorded: {}", rangeId, step, e.getMessage());
        } catch (RuntimeException e) {
            fail(step, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip(), commands);
        }
    }

    private void fail(String step, String reason, CommandGateway commands) {
        log.warn("range {}: step {} failed: {}", rangeId, step, reason);
        try {
            commands.sendAndWait(new FailDeployment(rangeId, step, reason));
        } catch (IllegalTransitionException refused) {
            log.info("range {}: failure not recorded: {}", rangeId, refused.getMessage());
        }
    }

    private void cancelDeployDeadline(DeadlineManager deadlines) {
        if (deployDeadlineId != null) {
            deadlines.cancelSchedule(DEPLOY_DEADLINE, deployDeadlineId);
            deployDeadlineId = null;
        }
    }

    /** The deadline's payload, so the handler can say which timeout passed. */
    public record DeployTimedOut(String rangeId, String timeout) {
    }

    static String readable(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private void removeEverything(RangeEngine engine, CommandGateway commands) {
        String containerId = engine.removeRange(rangeId).orElse(null);
        commands.sendAndWait(new RecordDinDRemoved(rangeId, containerId));
    }
}

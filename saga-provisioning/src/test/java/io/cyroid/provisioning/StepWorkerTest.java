package io.cyroid.provisioning;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.messages.DeploymentStep;
import io.cyroid.messages.FailDeployment;
import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.RecordDinDRemoved;
import io.cyroid.messages.RecordNetworkCreated;
import io.cyroid.messages.RecordRangeRunning;
import io.cyroid.messages.RecordVmStarted;
import io.cyroid.blueprint.VmSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepWorkerTest {

    static final String RANGE = "range-1";

    FakeRangeEngine engine = new FakeRangeEngine();
    List<Object> recorded = new CopyOnWriteArrayList<>();
    ProvisioningProperties properties = new ProvisioningProperties();
    FaultInjection faults = new FaultInjection(true, List.of());
    StepWorker worker;

    @BeforeEach
    void setUp() {
        start();
    }

    void start() {
        properties.setRetryBackoff(Duration.ofMillis(10));
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        for (Class<?> type : List.of(RecordNetworkCreated.class, FailDeployment.class, RecordDinDRemoved.class,
                RecordVmStarted.class, RecordRangeRunning.class)) {
            bus.subscribe(type.getName(), (CommandMessage<?> command) -> {
                recorded.add(command.getPayload());
                return null;
            });
        }
        CommandGateway gateway = DefaultCommandGateway.builder().commandBus(bus).build();
        worker = new StepWorker(engine, gateway, properties, faults);
    }

    @AfterEach
    void close() {
        worker.close();
    }

    @Test
    void aJobsOutcomeIsRecordedOnTheRange() {
        worker.submit(new EngineJob.CreateNetwork(RANGE, CORP_LAN.networks().get(0)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorded.isEmpty());
        assertThat(recorded).containsExactly(new RecordNetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1",
                "net-lan"));
    }

    @Test
    void aTransientErrorIsRetriedWithinTheLimit() {
        engine.flakyOn = "createNetwork";
        engine.transientFailures.set(2);
        worker.submit(new EngineJob.CreateNetwork(RANGE, CORP_LAN.networks().get(0)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorded.isEmpty());
        assertThat(recorded.get(0)).isInstanceOf(RecordNetworkCreated.class);
        assertThat(engine.calls).hasSize(3);
    }

    @Test
    void aTransientErrorPastTheLimitFailsTheStepWithTheEnginesWords() {
        engine.flakyOn = "createNetwork";
        engine.transientFailures.set(10);
        worker.submit(new EngineJob.CreateNetwork(RANGE, CORP_LAN.networks().get(0)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorded.isEmpty());
        assertThat(recorded).containsExactly(new FailDeployment(RANGE, DeploymentStep.CREATE_NETWORK,
                "network lan: engine did not answer in createNetwork lan (after 3 attempts)"));
        assertThat(engine.calls).hasSize(3);
    }

    @Test
    void aPermanentErrorFailsAtOnce() {
        engine.failOn = "createNetwork";
        worker.submit(new EngineJob.CreateNetwork(RANGE, CORP_LAN.networks().get(0)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorded.isEmpty());
        assertThat(recorded).containsExactly(new FailDeployment(RANGE, DeploymentStep.CREATE_NETWORK,
                "network lan: boom in createNetwork lan"));
        assertThat(engine.calls).hasSize(1);
    }

    @Test
    void anInjectedFaultFailsTheStepAfterItsEngineWork() {
        faults.failStep(DeploymentStep.SEED_IMAGES);
        worker.submit(new EngineJob.SeedImages(RANGE, List.of("img")));
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorded.isEmpty());
        assertThat(engine.calls).containsExactly("seedImages img");
        assertThat(recorded).containsExactly(new FailDeployment(RANGE, DeploymentStep.SEED_IMAGES,
                "injected fault at SEED_IMAGES"));
    }

    @Test
    void aRemovalGivingUpRecordsTheRangeRemovedWithItsLeftovers() {
        engine.flakyOn = "removeRange";
        engine.transientFailures.set(10);
        worker.submit(new EngineJob.RemoveRange(RANGE));
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorded.isEmpty());
        assertThat(recorded).containsExactly(new RecordDinDRemoved(RANGE, null,
                "engine did not answer in removeRange range-1 (after 3 attempts)"));
    }

    @Test
    void onceARangeIsBeingRemovedItsOtherJobsDoNotStart() {
        worker.submit(new EngineJob.RemoveRange(RANGE));
        worker.submit(new EngineJob.CreateNetwork(RANGE, CORP_LAN.networks().get(0)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorded.isEmpty());
        assertThat(engine.calls).containsExactly("removeRange " + RANGE);
    }

    @Test
    void aRefusedOutcomeIsNoError() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(RecordNetworkCreated.class.getName(), command -> {
            recorded.add("refused");
            throw new IllegalTransitionException("range is destroying");
        });
        worker.close();
        worker = new StepWorker(engine, DefaultCommandGateway.builder().commandBus(bus).build(), properties, faults);
        worker.submit(new EngineJob.CreateNetwork(RANGE, CORP_LAN.networks().get(0)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorded.isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> worker.load().running() == 0
                && worker.load().waiting() == 0);
        assertThat(recorded).containsExactly("refused");
    }

    /** One engine slot, held by another range's job until the test lets it go. */
    private void oneSlotHeldBy(String call) {
        worker.close();
        properties.setEngineConcurrency(1);
        start();
        engine.holdOn = call;
        worker.submit(new EngineJob.CreateDind("other", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.calls.contains(call));
    }

    @Test
    void theRunningCheckWaitsTheSettleTimeOnATimerNotInAnEngineSlot() {
        properties.setVmSettleTime(Duration.ofMillis(400));
        oneSlotHeldBy("createDind other");
        long submitted = System.nanoTime();
        worker.submit(new EngineJob.ConfirmRunning(RANGE, CORP_LAN.vms()));
        worker.submit(new EngineJob.CreateNetwork("third", CORP_LAN.networks().get(0)));
        engine.hold.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> recorded.contains(new RecordRangeRunning(RANGE)));
        assertThat(Duration.ofNanos(System.nanoTime() - submitted)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        // handed over after the check, the network still went first: the check did not queue for a slot to wait in
        assertThat(engine.calls).containsExactly("createDind other", "createNetwork lan", "confirmRunning web,db");
    }

    @Test
    void aRangesVmsQueueTogetherAndRangesStillTakeTurns() {
        oneSlotHeldBy("createDind other");
        for (String range : List.of("a", "b")) {
            for (VmSpec vm : CORP_LAN.vms()) {
                worker.submit(new EngineJob.StartVm(range, vm));
            }
        }
        worker.submit(new EngineJob.CreateDind("c", null));
        engine.hold.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.calls.size() == 6);
        assertThat(engine.calls).containsExactly("createDind other", "startVm a web", "startVm b web",
                "createDind c", "startVm a db", "startVm b db");
    }
}

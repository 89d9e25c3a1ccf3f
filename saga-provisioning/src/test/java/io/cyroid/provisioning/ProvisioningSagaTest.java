package io.cyroid.provisioning;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static io.cyroid.blueprint.SampleBlueprints.DB_IPS;
import static io.cyroid.blueprint.SampleBlueprints.WEB_IPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.cyroid.messages.VmActionRequested;
import io.cyroid.messages.VmStarted;
import io.cyroid.messages.VmStopped;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The saga decides; the worker (here a recorder of what it was handed) does the engine work. */
class ProvisioningSagaTest {

    static final String RANGE = "range-1";
    static final String NODE = "node-a";

    static final RangeRequested REQUESTED = new RangeRequested(RANGE, "monday", "bp-1", CORP_LAN, "alice", 1);
    static final DinDCreated DIND = new DinDCreated(RANGE, "dind-range-1", "cyroid-range-range-1", "172.30.1.2",
            "local");
    static final NetworkCreated LAN = new NetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1", "net-lan");
    static final NetworkCreated DMZ = new NetworkCreated(RANGE, "dmz", "10.0.2.0/24", "10.0.2.1", "net-dmz");
    static final ImagesSeeded SEEDED = new ImagesSeeded(RANGE, List.of("cyroid/vm-busybox:latest"));
    static final VmStarted WEB = new VmStarted(RANGE, "web", "vm-web", WEB_IPS);
    static final VmStarted DB = new VmStarted(RANGE, "db", "vm-db", DB_IPS);
    static final RangeDeploymentFailed FAILED = new RangeDeploymentFailed(RANGE, DeploymentStep.START_VM, "boom");

    SagaTestFixture<ProvisioningSaga> fixture;
    RecordingWorker worker;
    CountingBlueprints blueprints = new CountingBlueprints();

    /** The snapshot port as the saga sees it, counting the lookups. */
    static class CountingBlueprints implements RangeBlueprints {
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public Blueprint of(String rangeId) {
            lookups.incrementAndGet();
            assertThat(rangeId).isEqualTo(RANGE);
            return CORP_LAN;
        }
    }

    /** Records the jobs handed over instead of running them. */
    static class RecordingWorker extends StepWorker {
        final List<EngineJob> jobs = new CopyOnWriteArrayList<>();

        RecordingWorker(ProvisioningProperties properties) {
            super(new FakeRangeEngine(), null, properties, new FaultInjection(false, List.of()));
        }

        @Override
        public void submit(EngineJob job) {
            jobs.add(job);
        }

        List<String> keys() {
            return jobs.stream().map(EngineJob::key).toList();
        }
    }

    @BeforeEach
    void setUp() {
        ProvisioningProperties properties = new ProvisioningProperties(); // deploy 10 min, steps 2 min
        properties.setNodeId(NODE);
        fixture = new SagaTestFixture<>(ProvisioningSaga.class);
        worker = new RecordingWorker(properties);
        fixture.registerResource(worker);
        fixture.registerResource(properties);
        fixture.registerResource(blueprints);
        fixture.registerResource(fixture.registerCommandGateway(CommandGateway.class));
    }

    @AfterEach
    void stopWorker() {
        worker.close();
    }

    @Test
    void aRequestedRangeStartsWithItsDinDOnTheWorker() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(REQUESTED)
                .expectActiveSagas(1)
                .expectAssociationWith("rangeId", RANGE)
                .expectAssociationWith(ProvisioningSaga.NODE, NODE)
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofMinutes(10), ProvisioningSaga.DEPLOY_DEADLINE)
                .expectScheduledDeadlineWithName(Duration.ofMinutes(3), ProvisioningSaga.STEP_DEADLINE);
        assertThat(worker.jobs).containsExactly(new EngineJob.CreateDind(RANGE, CORP_LAN.resources()));
        assertThat(blueprints.lookups).as("the event carries the snapshot").hasValue(0);
    }

    @Test
    void networksAndImagesAreHandedOverTogether() {
        fixture.givenAPublished(REQUESTED)
                .whenPublishingA(DIND)
                .expectNoDispatchedCommands();
        assertThat(worker.keys()).containsExactly("dind", "network:lan", "network:dmz", "images");
    }

    @Test
    void noVmStartsBeforeEveryNetworkAndTheImages() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(SEEDED)
                .whenPublishingA(LAN);
        assertThat(worker.keys()).doesNotContain("vm:web");
    }

    @Test
    void everyVmIsHandedOverAtOnceWhenTheLastNetworkExists() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(SEEDED)
                .whenPublishingA(DMZ)
                .expectNoDispatchedCommands();
        assertThat(worker.jobs).endsWith(new EngineJob.StartVm(RANGE, CORP_LAN.vms().get(0)),
                new EngineJob.StartVm(RANGE, CORP_LAN.vms().get(1)));
    }

    @Test
    void everyVmIsHandedOverAtOnceWhenTheImagesAreSeededLast() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .whenPublishingA(SEEDED);
        assertThat(worker.keys()).endsWith("images", "vm:web", "vm:db");
    }

    @Test
    void eachVmJobHasItsOwnStepDeadline() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(DB)
                .whenTimeElapses(Duration.ofMinutes(2).plusSeconds(1))
                .expectDispatchedCommands(new FailDeployment(RANGE, DeploymentStep.START_VM,
                        "did not finish within 120 s (step time limit)"));
    }

    @Test
    void noCheckAndNoOtherJobWhileAVmIsStillStarting() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED)
                .whenPublishingA(DB)
                .expectNoDispatchedCommands();
        assertThat(worker.keys()).endsWith("vm:web", "vm:db").doesNotContain("confirm");
    }

    @Test
    void onceEveryVmStartedOneJobChecksThemAllRunning() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(DB)
                .whenPublishingA(WEB)
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofMinutes(2), ProvisioningSaga.STEP_DEADLINE);
        assertThat(worker.jobs).endsWith(new EngineJob.ConfirmRunning(RANGE, CORP_LAN.vms()));
        assertThat(worker.keys().stream().filter(key -> key.startsWith("vm:"))).hasSize(2);
    }

    @Test
    void aCheckPastItsTimeLimitFailsTheRange() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB).andThenAPublished(DB)
                .whenTimeElapses(Duration.ofMinutes(2).plusSeconds(1))
                .expectDispatchedCommands(new FailDeployment(RANGE, DeploymentStep.START_VM,
                        "did not finish within 120 s (step time limit)"));
    }

    @Test
    void aRedeliveredVmStartedHandsNothingOverTwice() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB).andThenAPublished(DB)
                .whenPublishingA(DB);
        assertThat(worker.keys()).containsExactly("dind", "network:lan", "network:dmz", "images", "vm:web", "vm:db",
                "confirm");
    }

    @Test
    void aVmFailingAmongParallelOnesCompensatesAndCancelsTheOthersDeadlines() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED)
                .whenPublishingA(FAILED) // web's job failed while db's was in flight
                .expectNoScheduledDeadlineWithName(Duration.ofMinutes(2), ProvisioningSaga.STEP_DEADLINE)
                .expectScheduledDeadlineWithName(Duration.ofMinutes(3), ProvisioningSaga.STEP_DEADLINE);
        assertThat(worker.jobs).endsWith(new EngineJob.RemoveRange(RANGE));
    }

    @Test
    void aVmStartedLateAfterAFailureStartsNothing() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB).andThenAPublished(FAILED)
                .whenPublishingA(DB);
        assertThat(worker.keys()).endsWith("remove").doesNotContain("confirm");
    }

    @Test
    void afterARestartEveryVmJobInFlightIsHandedOverAgain() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED)
                .whenPublishingA(new ProvisioningNodeStarted(NODE));
        assertThat(worker.jobs).endsWith(new EngineJob.StartVm(RANGE, CORP_LAN.vms().get(0)),
                new EngineJob.StartVm(RANGE, CORP_LAN.vms().get(1)),
                new EngineJob.StartVm(RANGE, CORP_LAN.vms().get(0)),
                new EngineJob.StartVm(RANGE, CORP_LAN.vms().get(1)));
    }

    @Test
    void afterARestartTheCheckInFlightIsHandedOverAgain() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB).andThenAPublished(DB)
                .whenPublishingA(new ProvisioningNodeStarted(NODE));
        assertThat(worker.jobs).endsWith(new EngineJob.ConfirmRunning(RANGE, CORP_LAN.vms()),
                new EngineJob.ConfirmRunning(RANGE, CORP_LAN.vms()));
    }

    @Test
    void aDeployedRangeKeepsNoDeadlineAndNoNodeAssociation() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB).andThenAPublished(DB)
                .whenPublishingA(new RangeDeployed(RANGE))
                .expectNoScheduledDeadlines()
                .expectNoAssociationWith(ProvisioningSaga.NODE, NODE);
    }

    @Test
    void aStepPastItsTimeLimitFailsTheRangeNamingTheStep() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN)
                .whenTimeElapses(Duration.ofMinutes(2).plusSeconds(1))
                .expectDispatchedCommands(new FailDeployment(RANGE, DeploymentStep.CREATE_NETWORK,
                        "did not finish within 120 s (step time limit)"));
    }

    @Test
    void aRangeNotDeployedByItsDeadlineFailsWithTimeout() {
        ProvisioningProperties generous = new ProvisioningProperties();
        generous.setNodeId(NODE);
        generous.setDefaultStepTimeout(Duration.ofHours(1));
        generous.getStepTimeouts().put("seed-images", Duration.ofHours(1));
        fixture.registerResource(generous);
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN)
                .whenTimeElapses(Duration.ofMinutes(11))
                .expectDispatchedCommands(new FailDeployment(RANGE, DeploymentStep.TIMEOUT,
                        "not deployed within 600 s (DEPLOY_TIMEOUT)"));
    }

    @Test
    void aFailureCompensatesByRemovingEverythingAndCancelsTheStepDeadlines() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .whenPublishingA(FAILED)
                .expectScheduledDeadlineWithName(Duration.ofMinutes(3), ProvisioningSaga.STEP_DEADLINE);
        assertThat(worker.jobs).endsWith(new EngineJob.RemoveRange(RANGE));
    }

    @Test
    void aDestroyDuringTheCompensationDoesNotRemoveTwice() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(FAILED)
                .whenPublishingA(new RangeDestroyRequested(RANGE, "bob"));
        assertThat(worker.keys().stream().filter("remove"::equals)).hasSize(1);
    }

    @Test
    void aDestroyAfterTheCompensationRemovesAgain() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(FAILED)
                .andThenAPublished(new DinDRemoved(RANGE, "dind-range-1"))
                .whenPublishingA(new RangeDestroyRequested(RANGE, "bob"))
                .expectActiveSagas(1);
        assertThat(worker.keys().stream().filter("remove"::equals)).hasSize(2);
    }

    @Test
    void aRemovalPastItsLimitIsHandedOverAgainThenRecordedWithItsLeftovers() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .andThenAPublished(new RangeDestroyRequested(RANGE, "bob"))
                .whenTimeElapses(Duration.ofMinutes(10))
                .expectDispatchedCommands(new RecordDinDRemoved(RANGE, null,
                        "REMOVE did not finish within 180 s (step time limit)"));
        assertThat(worker.keys().stream().filter("remove"::equals)).hasSize(3);
    }

    @Test
    void theSagaEndsWithTheRange() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .andThenAPublished(new RangeDestroyRequested(RANGE, "bob"))
                .andThenAPublished(new DinDRemoved(RANGE, "dind-range-1"))
                .whenPublishingA(new RangeDestroyed(RANGE))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void afterARestartTheWorkInFlightIsHandedOverAgain() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN)
                .whenPublishingA(new ProvisioningNodeStarted(NODE))
                .expectNoDispatchedCommands();
        assertThat(worker.keys()).containsExactly("dind", "network:lan", "network:dmz", "images",
                "network:dmz", "images");
    }

    @Test
    void aVmActionGoesToTheWorkerAndEndsWithItsEvent() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB).andThenAPublished(DB)
                .andThenAPublished(new RangeDeployed(RANGE))
                .whenPublishingA(new VmActionRequested(RANGE, "web", VmAction.STOP, "alice"))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(2), ProvisioningSaga.STEP_DEADLINE);
        assertThat(worker.jobs).endsWith(new EngineJob.ActOnVm(RANGE, CORP_LAN.vms().get(0), VmAction.STOP,
                "alice"));
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB).andThenAPublished(DB)
                .andThenAPublished(new RangeDeployed(RANGE))
                .andThenAPublished(new VmActionRequested(RANGE, "web", VmAction.STOP, "alice"))
                .whenPublishingA(new VmStopped(RANGE, "web", "alice", null))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aVmActionPastItsLimitFails() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB).andThenAPublished(DB)
                .andThenAPublished(new RangeDeployed(RANGE))
                .andThenAPublished(new VmActionRequested(RANGE, "web", VmAction.RESET, "alice"))
                .whenTimeElapses(Duration.ofMinutes(3))
                .expectDispatchedCommands(new RecordVmActionFailed(RANGE, "web", VmAction.RESET,
                        "VM_ACTION did not finish within 120 s (step time limit)"));
    }

    /**
     * A saga stored by the code that kept the whole snapshot in its state: it loads (the {@code blueprint} field is
     * ignored), rebuilds its jobs in flight from the snapshot port, and is stored again without the snapshot.
     */
    @Test
    void aSagaStoredWithItsBlueprintStillLoadsAndRebuildsItsJobs() throws Exception {
        // strict: a mapper that refuses unknown fields, so only the saga's own annotation lets the old form load
        ObjectMapper strict = new ObjectMapper();
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(strict).build();
        String old = """
                {"rangeId":"range-1","blueprint":%s,"createdNetworks":["lan"],"imagesSeeded":true,
                 "startedVms":[],"deployed":false,"stopped":false,"deployDeadlineId":"deploy-1","node":"node-a",
                 "inFlight":{"network:dmz":{"key":"network:dmz","step":"CREATE_NETWORK","deadlineId":"d-1",
                 "attempt":1,"vm":null,"action":null,"by":null}}}
                """.formatted(strict.writeValueAsString(CORP_LAN));

        ProvisioningSaga saga = serializer.deserialize(new SimpleSerializedObject<>(old, String.class,
                ProvisioningSaga.class.getName(), null));
        saga.on(new ProvisioningNodeStarted(NODE), worker, blueprints);

        assertThat(worker.jobs).containsExactly(new EngineJob.CreateNetwork(RANGE, CORP_LAN.networks().get(1)));
        String storedAgain = serializer.serialize(saga, String.class).getData();
        assertThat(storedAgain).contains("\"network:dmz\"").doesNotContain("blueprint").doesNotContain("10.0.1.10");
    }

    @Test
    void theSagaKeepsNoSnapshotInItsState() {
        assertThat(ProvisioningSaga.class.getDeclaredFields()).extracting(Field::getType)
                .doesNotContain(Blueprint.class, VmSpec.class, NetworkSpec.class);
    }
}

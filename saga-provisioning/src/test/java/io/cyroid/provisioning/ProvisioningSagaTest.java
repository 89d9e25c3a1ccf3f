package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static io.cyroid.blueprint.SampleBlueprints.DB_IPS;
import static io.cyroid.blueprint.SampleBlueprints.WEB_IPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.deepEquals;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.payloadsMatching;

import io.cyroid.messages.DeploymentStep;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.FailDeployment;
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
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProvisioningSagaTest {

    static final String RANGE = "range-1";

    static final RangeRequested REQUESTED = new RangeRequested(RANGE, "monday", "bp-1", CORP_LAN, "alice");
    static final DinDCreated DIND = new DinDCreated(RANGE, "dind-range-1", "cyroid-range-range-1", "172.30.1.2",
            "local");
    static final NetworkCreated LAN = new NetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1", "net-lan");
    static final NetworkCreated DMZ = new NetworkCreated(RANGE, "dmz", "10.0.2.0/24", "10.0.2.1", "net-dmz");
    static final ImagesSeeded SEEDED = new ImagesSeeded(RANGE, List.of("cyroid/vm-busybox:latest"));
    static final VmStarted WEB = new VmStarted(RANGE, "web", "vm-web", WEB_IPS);

    SagaTestFixture<ProvisioningSaga> fixture;
    FakeRangeEngine engine;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(ProvisioningSaga.class);
        engine = new FakeRangeEngine();
        fixture.registerResource(engine);
        fixture.registerResource(new ProvisioningProperties()); // deploy timeout: 10 minutes
        fixture.registerResource(fixture.registerCommandGateway(CommandGateway.class));
    }

    @Test
    void aRequestedRangeStartsWithItsDinD() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(REQUESTED)
                .expectActiveSagas(1)
                .expectAssociationWith("rangeId", RANGE)
                .expectDispatchedCommands(new RecordDinDCreated(RANGE, "dind-range-1", "cyroid-range-range-1",
                        "172.30.1.2", "local"));
    }

    @Test
    void aRequestedRangeGetsADeployDeadline() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(REQUESTED)
                .expectScheduledDeadlineWithName(Duration.ofMinutes(10), ProvisioningSaga.DEPLOY_DEADLINE);
    }

    @Test
    void aDeployedRangeNoLongerHasADeadline() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .whenPublishingA(new RangeDeployed(RANGE))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aRangeNotDeployedByItsDeadlineFailsWithTimeout() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN)
                .whenTimeElapses(Duration.ofMinutes(11))
                .expectDeadlinesMetMatching(payloadsMatching(exactSequenceOf(
                        deepEquals(new ProvisioningSaga.DeployTimedOut(RANGE, "600 s")), andNoMore())))
                .expectDispatchedCommands(new FailDeployment(RANGE, DeploymentStep.TIMEOUT,
                        "not deployed within 600 s (DEPLOY_TIMEOUT)"));
    }

    @Test
    void aFailedRangeNoLongerHasADeadline() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .whenPublishingA(new RangeDeploymentFailed(RANGE, DeploymentStep.CREATE_NETWORK, "boom"))
                .expectNoScheduledDeadlines();
    }

    @Test
    void theDinDIsFollowedByTheFirstNetwork() {
        fixture.givenAPublished(REQUESTED)
                .whenPublishingA(DIND)
                .expectDispatchedCommands(new RecordNetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1",
                        "net-lan"));
    }

    @Test
    void eachNetworkIsFollowedByTheNextOne() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .whenPublishingA(LAN)
                .expectDispatchedCommands(new RecordNetworkCreated(RANGE, "dmz", "10.0.2.0/24", "10.0.2.1",
                        "net-dmz"));
    }

    @Test
    void theLastNetworkIsFollowedBySeedingTheImagesOnce() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN)
                .whenPublishingA(DMZ)
                .expectDispatchedCommands(new RecordImagesSeeded(RANGE, List.of("cyroid/vm-busybox:latest")));
        assertThat(engine.calls).contains("seedImages cyroid/vm-busybox:latest");
    }

    @Test
    void seededImagesAreFollowedByTheFirstVmWithItsExactAddresses() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .whenPublishingA(SEEDED)
                .expectDispatchedCommands(new RecordVmStarted(RANGE, "web", "vm-web", WEB_IPS));
    }

    @Test
    void eachVmIsFollowedByTheNextOne() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED)
                .whenPublishingA(WEB)
                .expectDispatchedCommands(new RecordVmStarted(RANGE, "db", "vm-db", DB_IPS));
    }

    @Test
    void theLastVmIsRecordedOnlyOnceEveryVmStillRuns() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED)
                .whenPublishingA(WEB)
                .expectDispatchedCommands(new RecordVmStarted(RANGE, "db", "vm-db", DB_IPS));
        assertThat(engine.calls).endsWith("startVm db", "confirmRunning web,db");
    }

    @Test
    void aVmThatDiedAfterItsStartFailsTheLastStep() {
        engine.failOn = "confirmRunning";
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED)
                .whenPublishingA(WEB)
                .expectDispatchedCommands(new FailDeployment(RANGE, DeploymentStep.START_VM,
                        "boom in confirmRunning web,db"));
    }

    @Test
    void theLastVmDispatchesNothingMore() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(LAN).andThenAPublished(DMZ)
                .andThenAPublished(SEEDED).andThenAPublished(WEB)
                .whenPublishingA(new VmStarted(RANGE, "db", "vm-db", DB_IPS))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }

    @Test
    void aFailingStepFailsTheRangeNamingTheStep() {
        engine.failOn = "createNetwork dmz";
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .whenPublishingA(LAN)
                .expectDispatchedCommands(new FailDeployment(RANGE, DeploymentStep.CREATE_NETWORK,
                        "boom in createNetwork dmz"));
    }

    @Test
    void aFailedRangeIsCompensatedByRemovingEverythingItBuilt() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .whenPublishingA(new RangeDeploymentFailed(RANGE, DeploymentStep.CREATE_NETWORK, "boom"))
                .expectDispatchedCommands(new RecordDinDRemoved(RANGE, "dind-range-1"))
                .expectActiveSagas(1);
        assertThat(engine.calls).contains("removeRange " + RANGE);
    }

    @Test
    void noStepRunsAfterTheRangeFailed() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND)
                .andThenAPublished(new RangeDeploymentFailed(RANGE, DeploymentStep.CREATE_NETWORK, "boom"))
                .whenPublishingA(LAN)
                .expectNoDispatchedCommands();
    }

    @Test
    void aDestroyRequestRemovesTheRange() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(new RangeDeployed(RANGE))
                .whenPublishingA(new RangeDestroyRequested(RANGE, "bob"))
                .expectDispatchedCommands(new RecordDinDRemoved(RANGE, "dind-range-1"));
    }

    @Test
    void theSagaEndsWhenTheRangeIsDestroyed() {
        fixture.givenAPublished(REQUESTED).andThenAPublished(DIND).andThenAPublished(new RangeDestroyRequested(RANGE,
                        "bob")).andThenAPublished(new DinDRemoved(RANGE, "dind-range-1"))
                .whenPublishingA(new RangeDestroyed(RANGE))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }
}

package io.cyroid.range;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static io.cyroid.blueprint.SampleBlueprints.DB_IPS;
import static io.cyroid.blueprint.SampleBlueprints.WEB_IPS;
import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.InterfaceSpec;
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
import io.cyroid.messages.RecordDinDCreated;
import io.cyroid.messages.RecordDinDRemoved;
import io.cyroid.messages.RecordImagesSeeded;
import io.cyroid.messages.RecordNetworkCreated;
import io.cyroid.messages.RecordVmStarted;
import io.cyroid.messages.RequestRange;
import io.cyroid.messages.VmStarted;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RangeAggregateTest {

    static final String RANGE = "range-1";

    static final RangeRequested REQUESTED = new RangeRequested(RANGE, "monday-class", "bp-1", CORP_LAN, "alice");
    static final DinDCreated DIND = new DinDCreated(RANGE, "c0ffee", "cyroid-range-" + RANGE, "172.30.1.2", "local");
    static final NetworkCreated LAN = new NetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1", "n-lan");
    static final NetworkCreated DMZ = new NetworkCreated(RANGE, "dmz", "10.0.2.0/24", "10.0.2.1", "n-dmz");
    static final ImagesSeeded SEEDED = new ImagesSeeded(RANGE, List.of("cyroid/vm-busybox:latest"));
    static final VmStarted WEB = new VmStarted(RANGE, "web", "vm-web", WEB_IPS);
    static final VmStarted DB = new VmStarted(RANGE, "db", "vm-db", DB_IPS);

    FixtureConfiguration<RangeAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(RangeAggregate.class);
    }

    @Nested
    class Requesting {
        @Test
        void aRangeIsRequestedWithASnapshotOfItsBlueprint() {
            fixture.givenNoPriorActivity()
                    .when(new RequestRange(RANGE, "monday-class", "bp-1", CORP_LAN, "alice"))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(REQUESTED);
        }

        @Test
        void aRangeWithoutRequesterIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new RequestRange(RANGE, "monday-class", "bp-1", CORP_LAN, " "))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aRangeWithoutVmsIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new RequestRange(RANGE, "x", "bp-1", new Blueprint("e", List.of(), List.of(), null), "a"))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class Provisioning {
        @Test
        void theDinDMovesTheRangeToProvisioning() {
            fixture.given(REQUESTED)
                    .when(new RecordDinDCreated(RANGE, "c0ffee", "cyroid-range-" + RANGE, "172.30.1.2", "local"))
                    .expectEvents(DIND);
        }

        @Test
        void aSecondDinDIsRefused() {
            fixture.given(REQUESTED, DIND)
                    .when(new RecordDinDCreated(RANGE, "other", "x", "172.30.1.3", "local"))
                    .expectException(IllegalTransitionException.class)
                    .expectNoEvents();
        }

        @Test
        void aNetworkIsRecordedWithItsBlueprintAddresses() {
            fixture.given(REQUESTED, DIND)
                    .when(new RecordNetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1", "n-lan"))
                    .expectEvents(LAN);
        }

        @Test
        void aNetworkBeforeTheDinDIsRefused() {
            fixture.given(REQUESTED)
                    .when(new RecordNetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1", "n-lan"))
                    .expectException(IllegalTransitionException.class);
        }

        @Test
        void aNetworkWithOtherAddressesIsRefused() {
            fixture.given(REQUESTED, DIND)
                    .when(new RecordNetworkCreated(RANGE, "lan", "10.9.1.0/24", "10.9.1.1", "n-lan"))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aNetworkOutsideTheBlueprintIsRefused() {
            fixture.given(REQUESTED, DIND)
                    .when(new RecordNetworkCreated(RANGE, "wan", "10.0.9.0/24", "10.0.9.1", "n"))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aRetriedNetworkStepAppendsNothing() {
            fixture.given(REQUESTED, DIND, LAN)
                    .when(new RecordNetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1", "n-lan"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void imagesAreSeededOnceAllNetworksExist() {
            fixture.given(REQUESTED, DIND, LAN, DMZ)
                    .when(new RecordImagesSeeded(RANGE, List.of("cyroid/vm-busybox:latest")))
                    .expectEvents(SEEDED);
        }

        @Test
        void imagesBeforeAllNetworksAreRefused() {
            fixture.given(REQUESTED, DIND, LAN)
                    .when(new RecordImagesSeeded(RANGE, List.of("cyroid/vm-busybox:latest")))
                    .expectException(IllegalTransitionException.class);
        }

        @Test
        void aVmIsRecordedWithItsExactAddresses() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED)
                    .when(new RecordVmStarted(RANGE, "web", "vm-web", WEB_IPS))
                    .expectEvents(WEB);
        }

        @Test
        void theLastVmDeploysTheRange() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB)
                    .when(new RecordVmStarted(RANGE, "db", "vm-db", DB_IPS))
                    .expectEvents(DB, new RangeDeployed(RANGE));
        }

        @Test
        void aVmWithOtherAddressesIsRefused() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED)
                    .when(new RecordVmStarted(RANGE, "db", "vm-db", List.of(new InterfaceSpec("lan", "10.0.1.99"))))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aVmOutsideTheBlueprintIsRefused() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED)
                    .when(new RecordVmStarted(RANGE, "mallory", "vm-x", DB_IPS))
                    .expectException(IllegalArgumentException.class);
        }

        @Test
        void aVmBeforeItsImagesIsRefused() {
            fixture.given(REQUESTED, DIND, LAN, DMZ)
                    .when(new RecordVmStarted(RANGE, "db", "vm-db", DB_IPS))
                    .expectException(IllegalTransitionException.class);
        }

        @Test
        void aRetriedVmStepOnADeployedRangeAppendsNothing() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB, new RangeDeployed(RANGE))
                    .when(new RecordVmStarted(RANGE, "db", "vm-db", DB_IPS))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Nested
    class Failing {
        @Test
        void aFailedStepFailsTheRange() {
            fixture.given(REQUESTED, DIND)
                    .when(new FailDeployment(RANGE, "CREATE_NETWORK", "pool overlaps"))
                    .expectEvents(new RangeDeploymentFailed(RANGE, "CREATE_NETWORK", "pool overlaps"));
        }

        @Test
        void aDeployedRangeCannotFail() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB, new RangeDeployed(RANGE))
                    .when(new FailDeployment(RANGE, "START_VM", "late"))
                    .expectException(IllegalTransitionException.class);
        }

        @Test
        void compensationRecordsTheDinDRemovedButTheRangeStaysFailed() {
            fixture.given(REQUESTED, DIND, new RangeDeploymentFailed(RANGE, "START_VM", "boom"))
                    .when(new RecordDinDRemoved(RANGE, "c0ffee"))
                    .expectEvents(new DinDRemoved(RANGE, "c0ffee"));
        }

        @Test
        void aVmOnAFailedRangeIsRefused() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, new RangeDeploymentFailed(RANGE, "START_VM", "boom"))
                    .when(new RecordVmStarted(RANGE, "web", "vm-web", WEB_IPS))
                    .expectException(IllegalTransitionException.class);
        }
    }

    @Nested
    class Destroying {
        @Test
        void aDeployedRangeCanBeDestroyed() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB, new RangeDeployed(RANGE))
                    .when(new DestroyRange(RANGE, "bob"))
                    .expectEvents(new RangeDestroyRequested(RANGE, "bob"));
        }

        @Test
        void aRangeStillProvisioningCanBeDestroyed() {
            fixture.given(REQUESTED, DIND, LAN)
                    .when(new DestroyRange(RANGE, "bob"))
                    .expectEvents(new RangeDestroyRequested(RANGE, "bob"));
        }

        @Test
        void aFailedRangeCanBeDestroyed() {
            fixture.given(REQUESTED, new RangeDeploymentFailed(RANGE, "CREATE_DIND", "no engine"))
                    .when(new DestroyRange(RANGE, "bob"))
                    .expectEvents(new RangeDestroyRequested(RANGE, "bob"));
        }

        @Test
        void removingTheDinDDestroysTheRange() {
            fixture.given(REQUESTED, DIND, new RangeDestroyRequested(RANGE, "bob"))
                    .when(new RecordDinDRemoved(RANGE, "c0ffee"))
                    .expectEvents(new DinDRemoved(RANGE, "c0ffee"), new RangeDestroyed(RANGE));
        }

        @Test
        void aRangeWhoseDinDWasAlreadyCompensatedIsDestroyedWithoutASecondRemoval() {
            fixture.given(REQUESTED, DIND, new RangeDeploymentFailed(RANGE, "START_VM", "boom"),
                            new DinDRemoved(RANGE, "c0ffee"), new RangeDestroyRequested(RANGE, "bob"))
                    .when(new RecordDinDRemoved(RANGE, "c0ffee"))
                    .expectEvents(new RangeDestroyed(RANGE));
        }

        @Test
        void destroyingTwiceIsRefused() {
            fixture.given(REQUESTED, DIND, new RangeDestroyRequested(RANGE, "bob"))
                    .when(new DestroyRange(RANGE, "bob"))
                    .expectException(IllegalTransitionException.class)
                    .expectNoEvents();
        }

        @Test
        void destroyingADestroyedRangeIsRefused() {
            fixture.given(REQUESTED, DIND, new RangeDestroyRequested(RANGE, "bob"), new DinDRemoved(RANGE, "c0ffee"),
                            new RangeDestroyed(RANGE))
                    .when(new DestroyRange(RANGE, "bob"))
                    .expectException(IllegalTransitionException.class)
                    .expectExceptionMessage("range range-1 is already destroyed");
        }

        @Test
        void aVmOnADestroyedRangeIsRefused() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, new RangeDestroyRequested(RANGE, "bob"),
                            new DinDRemoved(RANGE, "c0ffee"), new RangeDestroyed(RANGE))
                    .when(new RecordVmStarted(RANGE, "web", "vm-web", WEB_IPS))
                    .expectException(IllegalTransitionException.class)
                    .expectNoEvents();
        }

        @Test
        void aNetworkOnADestroyingRangeIsRefused() {
            fixture.given(REQUESTED, DIND, new RangeDestroyRequested(RANGE, "bob"))
                    .when(new RecordNetworkCreated(RANGE, "lan", "10.0.1.0/24", "10.0.1.1", "n-lan"))
                    .expectException(IllegalTransitionException.class);
        }

        @Test
        void aDinDRemovalOnADeployedRangeIsRefused() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB, new RangeDeployed(RANGE))
                    .when(new RecordDinDRemoved(RANGE, "c0ffee"))
                    .expectException(IllegalTransitionException.class);
        }
    }
}

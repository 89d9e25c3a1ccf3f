package io.cyroid.range;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static io.cyroid.blueprint.SampleBlueprints.DB_IPS;
import static io.cyroid.blueprint.SampleBlueprints.WEB_IPS;
import static org.hamcrest.CoreMatchers.containsString;
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
import io.cyroid.messages.RecordRangeRunning;
import io.cyroid.messages.RecordVmStarted;
import io.cyroid.messages.RequestRange;
import io.cyroid.messages.RecordRedeploy;
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
import io.cyroid.messages.UnknownVmException;
import io.cyroid.messages.VmAction;
import io.cyroid.messages.VmActionFailed;
import io.cyroid.messages.VmActionRequested;
import io.cyroid.messages.VmReset;
import io.cyroid.messages.VmRestarted;
import io.cyroid.messages.VmStopped;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RangeAggregateTest {

    static final String RANGE = "range-1";

    static final RangeRequested REQUESTED = new RangeRequested(RANGE, "monday-class", "bp-1", CORP_LAN, "alice", 1);
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
                    .when(new RequestRange(RANGE, "monday-class", "bp-1", CORP_LAN, "alice", 1))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(REQUESTED);
        }

        @Test
        void aRangeWithoutRequesterIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new RequestRange(RANGE, "monday-class", "bp-1", CORP_LAN, " ", 1))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aRangeWithoutVmsIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new RequestRange(RANGE, "x", "bp-1", new Blueprint("e", List.of(), List.of(), null), "a", 1))
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
        void imagesAreSeededWhileNetworksAreStillBeingCreated() {
            fixture.given(REQUESTED, DIND, LAN)
                    .when(new RecordImagesSeeded(RANGE, List.of("cyroid/vm-busybox:latest")))
                    .expectEvents(SEEDED);
        }

        @Test
        void aVmBeforeEveryNetworkExistsIsRefused() {
            fixture.given(REQUESTED, DIND, LAN, SEEDED)
                    .when(new RecordVmStarted(RANGE, "web", "vm-web", WEB_IPS))
                    .expectException(IllegalTransitionException.class)
                    .expectNoEvents();
        }

        @Test
        void aVmIsRecordedWithItsExactAddresses() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED)
                    .when(new RecordVmStarted(RANGE, "web", "vm-web", WEB_IPS))
                    .expectEvents(WEB);
        }

        @Test
        void theLastVmStartedDoesNotYetDeployTheRange() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB)
                    .when(new RecordVmStarted(RANGE, "db", "vm-db", DB_IPS))
                    .expectEvents(DB); // and no RangeDeployed: that needs the check after the settle time
        }

        @Test
        void vmsStartedInAnyOrderAreEachRecorded() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, DB)
                    .when(new RecordVmStarted(RANGE, "web", "vm-web", WEB_IPS))
                    .expectEvents(WEB);
        }

        @Test
        void theRangeRunningAfterEveryVmStartedDeploysIt() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB)
                    .when(new RecordRangeRunning(RANGE))
                    .expectEvents(new RangeDeployed(RANGE));
        }

        @Test
        void theRangeRunningBeforeEveryVmStartedIsRefused() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB)
                    .when(new RecordRangeRunning(RANGE))
                    .expectException(IllegalTransitionException.class)
                    .expectExceptionMessage(containsString("1 of 2 VMs started"))
                    .expectNoEvents();
        }

        @Test
        void aRepeatedRangeRunningAfterACrashAppendsNothing() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB, new RangeDeployed(RANGE))
                    .when(new RecordRangeRunning(RANGE))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aFailedRangeCannotBeRecordedRunning() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB,
                            new RangeDeploymentFailed(RANGE, "START_VM", "VM db exited with code 3"))
                    .when(new RecordRangeRunning(RANGE))
                    .expectException(IllegalTransitionException.class)
                    .expectNoEvents();
        }

        @Test
        void aRetriedVmStepBeforeTheRangeRunsAppendsNothing() {
            fixture.given(REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB)
                    .when(new RecordVmStarted(RANGE, "web", "vm-web", WEB_IPS))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
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

    static final RangeDeployed DEPLOYED = new RangeDeployed(RANGE);
    static final Object[] UP = {REQUESTED, DIND, LAN, DMZ, SEEDED, WEB, DB, DEPLOYED};

    static Object[] up(Object... more) {
        Object[] all = java.util.Arrays.copyOf(UP, UP.length + more.length);
        System.arraycopy(more, 0, all, UP.length, more.length);
        return all;
    }

    @Nested
    class DestroyMeetsCompensation {
        static final RangeDeploymentFailed FAILED = new RangeDeploymentFailed(RANGE, "START_VM", "VM db exited");

        @Test
        void compensationRecordedAfterTheDestroyEndsTheRange() {
            fixture.given(REQUESTED, DIND, FAILED, new RangeDestroyRequested(RANGE, "bob"))
                    .when(new RecordDinDRemoved(RANGE, "c0ffee"))
                    .expectEvents(new DinDRemoved(RANGE, "c0ffee"), new RangeDestroyed(RANGE));
        }

        @Test
        void aSecondRemovalAfterTheRangeIsDestroyedChangesNothing() {
            fixture.given(REQUESTED, DIND, FAILED, new RangeDestroyRequested(RANGE, "bob"),
                            new DinDRemoved(RANGE, "c0ffee"), new RangeDestroyed(RANGE))
                    .when(new RecordDinDRemoved(RANGE, "c0ffee"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aRepeatedCompensationChangesNothing() {
            fixture.given(REQUESTED, DIND, FAILED, new DinDRemoved(RANGE, "c0ffee"))
                    .when(new RecordDinDRemoved(RANGE, "c0ffee"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aRemovalThatGaveUpStillEndsTheRangeAndSaysWhatIsLeft() {
            fixture.given(REQUESTED, DIND, new RangeDestroyRequested(RANGE, "bob"))
                    .when(new RecordDinDRemoved(RANGE, null, "engine did not answer"))
                    .expectEvents(new DinDRemoved(RANGE, null, "engine did not answer"), new RangeDestroyed(RANGE));
        }
    }

    @Nested
    class VmActions {
        @Test
        void anInstructorStopsARunningVm() {
            fixture.given(UP)
                    .when(new RequestVmAction(RANGE, "web", VmAction.STOP, "alice"))
                    .expectEvents(new VmActionRequested(RANGE, "web", VmAction.STOP, "alice"));
        }

        @Test
        void theStopIsRecordedWithItsUser() {
            fixture.given(up(new VmActionRequested(RANGE, "web", VmAction.STOP, "alice")))
                    .when(new RecordVmAction(RANGE, "web", VmAction.STOP, "vm-web", WEB_IPS, "alice"))
                    .expectEvents(new VmStopped(RANGE, "web", "alice", null));
        }

        @Test
        void stoppingAStoppedVmIsAConflict() {
            fixture.given(up(new VmStopped(RANGE, "web", "alice", null)))
                    .when(new RequestVmAction(RANGE, "web", VmAction.STOP, "alice"))
                    .expectException(IllegalTransitionException.class)
                    .expectNoEvents();
        }

        @Test
        void startingARunningVmIsAConflict() {
            fixture.given(UP)
                    .when(new RequestVmAction(RANGE, "web", VmAction.START, "alice"))
                    .expectException(IllegalTransitionException.class);
        }

        @Test
        void aStoppedVmStartsAgain() {
            fixture.given(up(new VmStopped(RANGE, "web", "system", "exited with code 137"),
                            new VmActionRequested(RANGE, "web", VmAction.START, "alice")))
                    .when(new RecordVmAction(RANGE, "web", VmAction.START, "vm-web", WEB_IPS, "alice"))
                    .expectEvents(new VmStarted(RANGE, "web", "vm-web", WEB_IPS));
        }

        @Test
        void restartAndResetAreRecordedWithTheirUser() {
            fixture.given(up(new VmActionRequested(RANGE, "db", VmAction.RESET, "alice")))
                    .when(new RecordVmAction(RANGE, "db", VmAction.RESET, "vm-db-2", DB_IPS, "alice"))
                    .expectEvents(new VmReset(RANGE, "db", "vm-db-2", "alice"));
            fixture.given(up(new VmActionRequested(RANGE, "db", VmAction.RESTART, "bob")))
                    .when(new RecordVmAction(RANGE, "db", VmAction.RESTART, "vm-db", DB_IPS, "bob"))
                    .expectEvents(new VmRestarted(RANGE, "db", "vm-db", "bob"));
        }

        @Test
        void aVmWithAnActionUnderWayIsBusy() {
            fixture.given(up(new VmActionRequested(RANGE, "web", VmAction.RESTART, "alice")))
                    .when(new RequestVmAction(RANGE, "web", VmAction.RESET, "bob"))
                    .expectException(IllegalTransitionException.class);
        }

        @Test
        void anUnknownVmIsNotFound() {
            fixture.given(UP)
                    .when(new RequestVmAction(RANGE, "mail", VmAction.STOP, "alice"))
                    .expectException(UnknownVmException.class);
        }

        @Test
        void actionsWaitForTheRangeToBeDeployed() {
            fixture.given(REQUESTED, DIND)
                    .when(new RequestVmAction(RANGE, "web", VmAction.STOP, "alice"))
                    .expectException(IllegalTransitionException.class);
        }

        @Test
        void aFailedActionIsRecordedAndTheVmIsFreeAgain() {
            fixture.given(up(new VmActionRequested(RANGE, "web", VmAction.RESTART, "alice")))
                    .when(new RecordVmActionFailed(RANGE, "web", VmAction.RESTART, "engine gone"))
                    .expectEvents(new VmActionFailed(RANGE, "web", VmAction.RESTART, "engine gone"));
        }
    }

    @Nested
    class Drift {
        @Test
        void aVmThatStopsByItselfIsRecordedAsStoppedBySystem() {
            fixture.given(UP)
                    .when(new RecordVmStopped(RANGE, "db", "exited with code 137"))
                    .expectEvents(new VmStopped(RANGE, "db", "system", "exited with code 137"));
        }

        @Test
        void aRepeatedReportChangesNothing() {
            fixture.given(up(new VmStopped(RANGE, "db", "system", "exited")))
                    .when(new RecordVmStopped(RANGE, "db", "exited"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aDeadDindDegradesTheRangeAndARecoveryBringsItBack() {
            fixture.given(UP)
                    .when(new MarkRangeDegraded(RANGE, "DinD exited"))
                    .expectEvents(new RangeDegraded(RANGE, "DinD exited"));
            fixture.given(up(new RangeDegraded(RANGE, "DinD exited")))
                    .when(new RecordRangeRecovered(RANGE, "DinD and 2 VMs restarted"))
                    .expectEvents(new RangeRecovered(RANGE, "DinD and 2 VMs restarted"));
        }

        @Test
        void aDegradedRangeCanBeDestroyed() {
            fixture.given(up(new RangeDegraded(RANGE, "DinD exited")))
                    .when(new DestroyRange(RANGE, "bob"))
                    .expectEvents(new RangeDestroyRequested(RANGE, "bob"));
        }

        @Test
        void onlyADeployedRangeDegrades() {
            fixture.given(REQUESTED, DIND)
                    .when(new MarkRangeDegraded(RANGE, "DinD exited"))
                    .expectException(IllegalTransitionException.class);
        }
    }

    @Nested
    class Redeploys {
        @Test
        void aDestroyedRangeNotesThatItsSnapshotWasDeployedAgain() {
            fixture.given(REQUESTED, new RangeDestroyRequested(RANGE, "alice"), new DinDRemoved(RANGE, null),
                            new RangeDestroyed(RANGE))
                    .when(new RecordRedeploy(RANGE, "range-2", "bob"))
                    .expectEvents(new RangeRedeployed(RANGE, "range-2", "bob"));
        }

        @Test
        void theSameRedeployIsNotedOnce() {
            fixture.given(REQUESTED, new RangeRedeployed(RANGE, "range-2", "bob"))
                    .when(new RecordRedeploy(RANGE, "range-2", "bob"))
                    .expectNoEvents();
        }

        @Test
        void aRedeployedRangeNamesItsOriginal() {
            fixture.givenNoPriorActivity()
                    .when(new RequestRange("range-2", "monday-class", "bp-1", CORP_LAN, "bob", 1, RANGE))
                    .expectEvents(new RangeRequested("range-2", "monday-class", "bp-1", CORP_LAN, "bob", 1, RANGE));
        }
    }
}

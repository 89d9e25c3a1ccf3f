package io.cyroid.api.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cyroid.api.range.RangeTimeline.Step;
import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.DeploymentStep;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.ImagesSeeded;
import io.cyroid.messages.NetworkCreated;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.VmAction;
import io.cyroid.messages.VmActionRequested;
import io.cyroid.messages.VmStarted;
import io.cyroid.messages.VmStopped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Timelines of canned histories, as the event store hands them to {@link RangeHistory}. */
class RangeTimelineTest {

    static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");
    static final String IMAGE = "cyroid/vm-busybox:latest";
    static final List<InterfaceSpec> WEB_IPS = List.of(new InterfaceSpec("lan", "10.0.1.10"),
            new InterfaceSpec("dmz", "10.0.2.10"));
    static final List<InterfaceSpec> DB_IPS = List.of(new InterfaceSpec("lan", "10.0.1.20"));
    /** The sample blueprint's shape: networks lan and dmz, VMs web and db. */
    static final Blueprint CORP_LAN = new Blueprint("corp-lan",
            List.of(new NetworkSpec("lan", "10.0.1.0/24", "10.0.1.1"),
                    new NetworkSpec("dmz", "10.0.2.0/24", "10.0.2.1")),
            List.of(new VmSpec("web", IMAGE, "web", WEB_IPS, Map.of(), List.of()),
                    new VmSpec("db", IMAGE, "db", DB_IPS, Map.of(), List.of())),
            null);
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    final List<RangeHistory.Entry> history = new ArrayList<>();

    /** The next event, {@code millis} after T0: the store's order need not be the order of the timestamps. */
    RangeTimelineTest at(long millis, Object payload) {
        history.add(new RangeHistory.Entry(history.size(), payload.getClass().getSimpleName(),
                T0.plusMillis(millis), "alice", null, null, JSON.valueToTree(payload)));
        return this;
    }

    List<Step> steps() {
        return RangeTimeline.of("r-1", history).steps();
    }

    RangeTimelineTest provisioned() {
        return at(0, new RangeRequested("r-1", "monday", "bp-1", CORP_LAN, "alice", 1))
                .at(1_000, new DinDCreated("r-1", "c0ffee", "cyroid-range-r-1", "172.30.1.2", "local"))
                .at(1_500, new NetworkCreated("r-1", "dmz", "10.0.2.0/24", "10.0.2.1", "n-dmz"))
                .at(1_200, new NetworkCreated("r-1", "lan", "10.0.1.0/24", "10.0.1.1", "n-lan"))
                .at(3_000, new ImagesSeeded("r-1", List.of(IMAGE)));
    }

    @Test
    void aDeploymentShowsEveryStepWithItsDurationVmsStartedSideBySide() {
        provisioned()
                .at(3_900, new VmStarted("r-1", "db", "vm-db", DB_IPS))
                .at(3_400, new VmStarted("r-1", "web", "vm-web", WEB_IPS))
                .at(4_000, new RangeDeployed("r-1"));

        assertThat(steps()).extracting(Step::step, Step::target, Step::durationMs, Step::outcome)
                .containsExactly(
                        tuple("CREATE_DIND", null, 1_000L, "OK"),
                        tuple("DEPLOY", null, 4_000L, "OK"),
                        tuple("CREATE_NETWORK", "lan", 200L, "OK"),
                        tuple("CREATE_NETWORK", "dmz", 500L, "OK"),
                        tuple("SEED_IMAGES", null, 2_000L, "OK"),
                        tuple("START_VM", "web", 400L, "OK"),
                        tuple("START_VM", "db", 900L, "OK"),
                        tuple("CONFIRM_RUNNING", null, 100L, "OK"));
        assertThat(steps()).filteredOn(step -> step.step().equals("START_VM")).extracting(Step::start)
                .containsOnly(T0.plusMillis(3_000));
    }

    @Test
    void aFailedVmIsNamedWithTheEnginesErrorThenTheCompensationWithWhatItLeftBehind() {
        provisioned()
                .at(3_200, new VmStarted("r-1", "db", "vm-db", DB_IPS))
                .at(3_500, new RangeDeploymentFailed("r-1", DeploymentStep.START_VM,
                        "web: No such image: cyroid/missing:1"))
                .at(5_000, new DinDRemoved("r-1", "c0ffee", "volume cyroid-range-r-1-docker"))
                .at(9_000, new RangeDestroyRequested("r-1", "alice"))
                .at(9_100, new RangeDestroyed("r-1"));

        assertThat(steps()).filteredOn(step -> step.outcome().equals("OK")).extracting(Step::step)
                .containsExactly("CREATE_DIND", "CREATE_NETWORK", "CREATE_NETWORK", "SEED_IMAGES", "START_VM",
                        "DESTROY");
        assertThat(steps()).filteredOn(step -> !step.outcome().equals("OK"))
                .extracting(Step::step, Step::target, Step::end, Step::outcome, Step::detail)
                .containsExactly(
                        tuple("DEPLOY", null, T0.plusMillis(3_500), "FAILED",
                                "START_VM: web: No such image: cyroid/missing:1"),
                        tuple("START_VM", "web", T0.plusMillis(3_500), "FAILED",
                                "web: No such image: cyroid/missing:1"),
                        tuple("COMPENSATE", null, T0.plusMillis(5_000), "PARTIAL",
                                "left behind: volume cyroid-range-r-1-docker"));
        assertThat(steps()).last().extracting(Step::step, Step::durationMs, Step::outcome)
                .containsExactly("DESTROY", 100L, "OK");
    }

    @Test
    void aVmThatDiesDuringTheSettleTimeFailsTheCheckAfterTheLastStart() {
        provisioned()
                .at(3_200, new VmStarted("r-1", "db", "vm-db", DB_IPS))
                .at(3_300, new VmStarted("r-1", "web", "vm-web", WEB_IPS))
                .at(3_700, new RangeDeploymentFailed("r-1", DeploymentStep.START_VM, "VM db exited with code 3"));

        assertThat(steps()).filteredOn(step -> step.step().equals("START_VM")).extracting(Step::outcome)
                .containsOnly("OK");
        assertThat(steps()).filteredOn(step -> step.step().equals("CONFIRM_RUNNING")).singleElement()
                .extracting(Step::start, Step::durationMs, Step::outcome, Step::detail)
                .containsExactly(T0.plusMillis(3_300), 400L, "FAILED", "VM db exited with code 3");
    }

    @Test
    void stepsUnderWayWhenAnotherFailedAreAbortedAndStepsNeverReachedAreLeftOut() {
        at(0, new RangeRequested("r-1", "monday", "bp-1", CORP_LAN, "alice", 1))
                .at(1_000, new DinDCreated("r-1", "c0ffee", "cyroid-range-r-1", "172.30.1.2", "local"))
                .at(1_100, new NetworkCreated("r-1", "lan", "10.0.1.0/24", "10.0.1.1", "n-lan"))
                .at(2_000, new RangeDeploymentFailed("r-1", DeploymentStep.SEED_IMAGES, "image x not on the host"));

        assertThat(steps()).extracting(Step::step, Step::target, Step::outcome)
                .containsExactly(tuple("CREATE_DIND", null, "OK"), tuple("DEPLOY", null, "FAILED"),
                        tuple("CREATE_NETWORK", "lan", "OK"), tuple("CREATE_NETWORK", "dmz", "ABORTED"),
                        tuple("SEED_IMAGES", null, "FAILED"), tuple("COMPENSATE", null, "RUNNING"));
    }

    @Test
    void aDeploymentUnderWayIsRunningAndVmActionsAreSteps() {
        provisioned().at(3_100, new VmStarted("r-1", "web", "vm-web", WEB_IPS));
        assertThat(steps()).filteredOn(step -> step.outcome().equals("RUNNING")).extracting(Step::step, Step::target,
                Step::end).containsExactly(tuple("DEPLOY", null, null), tuple("START_VM", "db", null));

        at(3_200, new VmStarted("r-1", "db", "vm-db", DB_IPS)).at(3_300, new RangeDeployed("r-1"))
                .at(10_000, new VmActionRequested("r-1", "web", VmAction.STOP, "alice"))
                .at(10_700, new VmStopped("r-1", "web", "alice", null))
                .at(20_000, new VmStopped("r-1", "db", "system", "exited with code 137"));

        assertThat(steps()).last().extracting(Step::step, Step::target, Step::durationMs, Step::outcome)
                .containsExactly("VM_STOP", "web", 700L, "OK");
    }
}

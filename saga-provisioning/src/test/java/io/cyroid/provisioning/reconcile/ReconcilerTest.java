package io.cyroid.provisioning.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.blueprint.SampleBlueprints;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.OrphanRemoved;
import io.cyroid.messages.RangeDegraded;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRecovered;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.VmAction;
import io.cyroid.messages.VmActionRequested;
import io.cyroid.messages.VmStarted;
import io.cyroid.messages.VmStopped;
import io.cyroid.provisioning.EngineException;
import io.cyroid.provisioning.EngineInventory;
import io.cyroid.provisioning.EngineInventory.ContainerEvent;
import io.cyroid.provisioning.EngineInventory.HostObject;
import io.cyroid.provisioning.EngineInventory.Kind;
import io.cyroid.provisioning.EngineInventory.VmState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler's decisions against a fake engine and a fake range record: no engine, no Axon. */
class ReconcilerTest {

    static final String RANGE = "r-1";
    static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    FakeClock clock;
    FakeInventory engine;
    FakeRecords records;
    FakeReports reports;
    ReconcileProperties properties;
    Reconciler reconciler;

    @BeforeEach
    void setUp() {
        clock = new FakeClock(T0);
        engine = new FakeInventory();
        records = new FakeRecords();
        reports = new FakeReports(records);
        properties = new ReconcileProperties();
        properties.setGrace(Duration.ofMinutes(2));
        properties.setRecoveryAttempts(3);
        // recoveries and events run on the caller's thread: every decision is taken before the call returns
        reconciler = new Reconciler(engine, records, reports, properties, clock, Runnable::run, null);
        reconciler.start();
    }

    // ------------------------------------------------------------------------------------------ orphans

    @Test
    void anOrphanWithoutAnAgeIsRemovedOnlyOnceItWasSeenForTheGracePeriod() {
        engine.put(volume("v-1", "gone-1", true));

        reconciler.pass();
        clock.advance(Duration.ofSeconds(119));
        reconciler.pass();
        assertThat(engine.removed).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        reconciler.pass();
        assertThat(engine.removed).containsExactly("v-1");
        assertThat(reports.orphans).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo("volume");
            assertThat(o.rangeId()).isEqualTo("gone-1");
            assertThat(o.reason()).startsWith("no range with this id exists");
        });
        assertThat(engine.released).containsExactly("gone-1");
    }

    @Test
    void anOrphanContainerOlderThanTheGracePeriodGoesAtTheFirstPassAndBeforeItsVolume() {
        engine.put(volume("v-1", "gone-1", true));
        engine.put(container("c-1", "gone-1", "dind", false, T0.minus(Duration.ofMinutes(5)), true));
        engine.put(container("c-2", "gone-2", "vm", true, T0.minusSeconds(30), true)); // too young

        reconciler.pass();

        assertThat(engine.removed).containsExactly("c-1");
        clock.advance(Duration.ofMinutes(2));
        reconciler.pass();
        assertThat(engine.removed).containsExactly("c-1", "c-2", "v-1");
        assertThat(reports.orphans).extracting(OrphanRemoved::objectId).containsExactly("c-1", "c-2", "v-1");
    }

    @Test
    void objectsOfLiveRangesOfOtherInstallationsAndHostNetworksAreNeverOrphans() {
        records.deployed(RANGE);
        engine.put(container("c-live", RANGE, "dind", true, T0.minus(Duration.ofHours(1)), true));
        engine.put(volume("v-live", RANGE, true));
        engine.put(volume("v-foreign", "someone-elses", false)); // not made by this installation
        engine.put(new HostObject(Kind.NETWORK, "n-1", "cyroid-ranges", "x", "ranges", false, null, null,
                T0.minus(Duration.ofDays(1)), true, labels("x", "ranges")));
        records.failed("failing"); // failed, compensation not done yet: its objects stay for the saga
        engine.put(volume("v-failing", "failing", true));

        reconciler.pass();
        clock.advance(Duration.ofHours(1));
        reconciler.pass();

        assertThat(engine.removed).isEmpty();
        assertThat(reports.orphans).isEmpty();
    }

    @Test
    void objectsOfDestroyedRangesAndOfCleanedUpFailuresAreOrphans() {
        records.destroyed("destroyed");
        records.failed("failed");
        records.append("failed", new DinDRemoved("failed", "c", null));
        engine.put(container("c-1", "destroyed", "dind", false, T0.minus(Duration.ofHours(1)), true));
        engine.put(container("c-2", "failed", "dind", false, T0.minus(Duration.ofHours(1)), true));

        reconciler.pass();

        assertThat(engine.removed).containsExactly("c-1", "c-2");
        assertThat(reports.orphans).extracting(OrphanRemoved::reason).containsExactly(
                "its range is destroyed; orphaned for more than 120 s",
                "its range failed and was cleaned up; orphaned for more than 120 s");
    }

    @Test
    void ownershipIsCheckedAgainRightBeforeRemoving() {
        engine.put(container("c-1", "new-range", "dind", true, T0.minus(Duration.ofHours(1)), true));
        engine.put(container("c-2", "gone", "vm", true, T0.minus(Duration.ofHours(1)), true));
        // between the listing and the removal: the first range turns out to exist (its read model lagged), the
        // second object got other labels
        engine.beforeReread = object -> {
            if (object.equals("c-1")) {
                records.deployed("new-range");
            } else {
                engine.put(container("c-2", "someone-else", "vm", true, T0.minus(Duration.ofHours(1)), true));
                records.deployed("someone-else");
            }
        };

        reconciler.pass();

        assertThat(engine.removed).isEmpty();
        assertThat(reports.orphans).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ DEGRADED

    @Test
    void aDeployedRangeWhoseDindDiedIsDegradedWithTheReasonThenRecovered() {
        records.deployed(RANGE);
        engine.put(container("c-dind", RANGE, "dind", false, T0.minus(Duration.ofHours(1)), true)
                .withExit(137L, Instant.parse("2025-01-01T09:59:58.123Z")));
        engine.vms.put("web", new VmState("web", "w", false, 137L, null));
        engine.vms.put("db", new VmState("db", "d", false, 137L, null));

        reconciler.hostEvent(new ContainerEvent("die", "c-dind", "cyroid-range-" + RANGE, RANGE, "dind", 137L, T0));

        assertThat(reports.degraded).containsExactly(RANGE + ": DinD exited with code 137 at 2025-01-01T09:59:58Z");
        assertThat(engine.startedDinds).containsExactly(RANGE);
        assertThat(engine.startedVms).containsExactly(List.of("web", "db"));
        assertThat(reports.recovered).containsExactly(RANGE + ": DinD and 2 VMs restarted");
        assertThat(records.facts(RANGE).status()).isEqualTo(RangeStatus.DEPLOYED);
        assertThat(records.facts(RANGE).runningVms()).containsExactlyInAnyOrder("web", "db");
    }

    @Test
    void theDindOfARangeBeingDestroyedOrAlreadyRunningAgainIsLeftAlone() {
        records.deployed(RANGE);
        records.append(RANGE, new RangeDestroyRequested(RANGE, "admin"));
        engine.put(container("c-dind", RANGE, "dind", false, T0, true).withExit(137L, null));
        reconciler.hostEvent(new ContainerEvent("die", "c-dind", null, RANGE, "dind", 137L, T0));

        records.deployed("r-2");
        engine.put(container("c-dind-2", "r-2", "dind", true, T0, true)); // started again since the event
        reconciler.hostEvent(new ContainerEvent("die", "c-dind-2", null, "r-2", "dind", 0L, T0));

        assertThat(reports.degraded).isEmpty();
        assertThat(engine.startedDinds).isEmpty();
    }

    @Test
    void aRangeThatCannotBeRecoveredStaysDegradedAndIsTriedABoundedNumberOfTimes() {
        records.deployed(RANGE);
        engine.put(container("c-dind", RANGE, "dind", false, T0, true).withExit(1L, null));
        engine.failDindStart = "the inner engine did not answer within 60 s";
        records.live.add(RANGE);

        for (int pass = 0; pass < 6; pass++) {
            reconciler.pass();
            clock.advance(Duration.ofSeconds(30));
        }

        assertThat(reports.degraded).containsExactly(RANGE + ": DinD exited with code 1");
        assertThat(engine.startedDinds).hasSize(3);
        assertThat(reports.recovered).isEmpty();
        assertThat(records.facts(RANGE).status()).isEqualTo(RangeStatus.DEGRADED);
    }

    @Test
    void aDindStoppedDuringAHostEngineOutageSaysSo() {
        records.deployed(RANGE);
        records.live.add(RANGE);
        engine.hostListener.onDisconnected("connection refused");
        clock.advance(Duration.ofSeconds(5));
        engine.put(container("c-dind", RANGE, "dind", false, T0, true).withExit(0L, T0.plusSeconds(1)));
        engine.failDindStart = "no";
        engine.hostListener.onConnected(true); // runs a pass at once

        assertThat(reports.degraded).containsExactly(
                RANGE + ": DinD exited with code 0 at 2025-01-01T10:00:01Z (the host engine restarted)");
    }

    @Test
    void aDindThatStopsWithTheHostEngineIsRecoveredOnlyOnceTheEngineIsBack() {
        records.deployed(RANGE);
        records.live.add(RANGE);
        engine.put(container("c-dind", RANGE, "dind", false, T0, true).withExit(137L, T0));
        engine.vms.put("web", new VmState("web", "w", false, 137L, null));
        engine.vms.put("db", new VmState("db", "d", false, 137L, null));
        // a stopping engine first stops its containers, then closes its event stream
        clock.advance(Duration.ofSeconds(2));
        engine.hostListener.onDisconnected("Premature end of chunk coded message body");
        reconciler.hostEvent(new ContainerEvent("die", "c-dind", null, RANGE, "dind", 137L, T0));

        assertThat(reports.degraded).containsExactly(
                RANGE + ": DinD exited with code 137 at 2025-01-01T10:00:00Z (the host engine restarted)");
        assertThat(engine.startedDinds).as("no recovery into an engine that is going away").isEmpty();

        clock.advance(Duration.ofSeconds(10));
        engine.hostListener.onConnected(true);

        assertThat(engine.startedDinds).containsExactly(RANGE);
        assertThat(reports.recovered).containsExactly(RANGE + ": DinD and 2 VMs restarted");
    }

    @Test
    void theHostEngineComingBackGivesEveryDegradedRangeItsAttemptsAgain() {
        records.deployed(RANGE);
        records.live.add(RANGE);
        engine.put(container("c-dind", RANGE, "dind", false, T0, true).withExit(1L, null));
        engine.failDindStart = "the inner engine did not answer within 60 s";
        for (int pass = 0; pass < 4; pass++) {
            reconciler.pass();
        }
        assertThat(engine.startedDinds).hasSize(3);

        engine.hostListener.onDisconnected("connection refused");
        engine.hostListener.onConnected(true);

        assertThat(engine.startedDinds).hasSize(4);
    }

    // ------------------------------------------------------------------------------------------ VMs

    @Test
    void aVmThatDiedInsideItsDindIsRecordedStoppedFromItsEvent() {
        records.deployed(RANGE);
        engine.put(container("c-dind", RANGE, "dind", true, T0, true));
        engine.vms.put("db", new VmState("db", "d", false, 137L, Instant.parse("2025-01-01T10:00:03Z")));

        reconciler.rangeUp(RANGE);
        engine.rangeListeners.get(RANGE).onEvent(new ContainerEvent("die", "d", "db", RANGE, "vm", 137L, T0));

        assertThat(reports.vmStopped).containsExactly(RANGE + "/db: exited with code 137 at 2025-01-01T10:00:03Z");
        assertThat(records.facts(RANGE).runningVms()).containsExactly("web");
    }

    @Test
    void theDeathOfAVmWithAnActionUnderWayOrRunningAgainIsNotReported() {
        records.deployed(RANGE);
        records.append(RANGE, new VmActionRequested(RANGE, "web", VmAction.RESTART, "admin"));
        engine.vms.put("web", new VmState("web", "w", false, 137L, null));
        engine.vms.put("db", new VmState("db", "d", true, null, null)); // restarted by someone since it died

        reconciler.rangeEvent(RANGE, new ContainerEvent("die", "w", "web", RANGE, "vm", 137L, T0));
        reconciler.rangeEvent(RANGE, new ContainerEvent("die", "d", "db", RANGE, "vm", 137L, T0));

        assertThat(reports.vmStopped).isEmpty();
    }

    @Test
    void thePassFindsStoppedVmsThatNoEventReported() {
        records.deployed(RANGE);
        records.live.add(RANGE);
        engine.put(container("c-dind", RANGE, "dind", true, T0, true));
        engine.vms.put("web", new VmState("web", "w", true, null, null));
        engine.vms.put("db", new VmState("db", "d", false, 2L, null));

        reconciler.pass();
        reconciler.pass(); // recorded once: the range no longer counts db as running

        assertThat(reports.vmStopped).containsExactly(RANGE + "/db: exited with code 2");
    }

    @Test
    void liveRangesAreWatchedAndRangesThatWentAwayAreNot() {
        records.deployed(RANGE);
        records.live.add(RANGE);
        engine.put(container("c-dind", RANGE, "dind", true, T0, true));
        engine.vms.put("web", new VmState("web", "w", true, null, null));
        engine.vms.put("db", new VmState("db", "d", true, null, null));

        reconciler.pass();
        assertThat(reconciler.watched()).containsExactly(RANGE);

        records.append(RANGE, new RangeDestroyRequested(RANGE, "admin"));
        records.live.remove(RANGE);
        reconciler.pass();
        assertThat(reconciler.watched()).isEmpty();
        assertThat(engine.closedWatches).containsExactly(RANGE);
    }

    // ------------------------------------------------------------------------------------------ fakes

    static Map<String, String> labels(String rangeId, String role) {
        return Map.of("cyroid.managed", "true", "cyroid.range-id", rangeId, "cyroid.role", role);
    }

    static HostObject volume(String id, String rangeId, boolean ownedHere) {
        return new HostObject(Kind.VOLUME, id, id, rangeId, "dind", false, null, null, null, ownedHere,
                labels(rangeId, "dind"));
    }

    static FakeContainer container(String id, String rangeId, String role, boolean running, Instant created,
                                   boolean ownedHere) {
        return new FakeContainer(new HostObject(Kind.CONTAINER, id, id, rangeId, role, running, null, null, created,
                ownedHere, labels(rangeId, role)));
    }

    record FakeContainer(HostObject object) {
        FakeContainer withExit(Long code, Instant finishedAt) {
            HostObject o = object;
            return new FakeContainer(new HostObject(o.kind(), o.id(), o.name(), o.rangeId(), o.role(), o.running(),
                    code, finishedAt, o.created(), o.ownedHere(), o.labels()));
        }
    }

    static final class FakeClock extends Clock {
        Instant now;

        FakeClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final class FakeInventory implements EngineInventory {
        final Map<String, HostObject> objects = new LinkedHashMap<>();
        final Map<String, VmState> vms = new LinkedHashMap<>();
        final List<String> removed = new ArrayList<>();
        final List<String> released = new ArrayList<>();
        final List<String> startedDinds = new ArrayList<>();
        final List<List<String>> startedVms = new ArrayList<>();
        final Map<String, Listener> rangeListeners = new LinkedHashMap<>();
        final List<String> closedWatches = new ArrayList<>();
        Listener hostListener;
        Consumer<String> beforeReread = id -> { };
        String failDindStart;

        void put(HostObject object) {
            objects.put(object.id(), object);
        }

        void put(FakeContainer container) {
            put(container.object());
        }

        @Override
        public List<HostObject> hostObjects() {
            return List.copyOf(objects.values());
        }

        @Override
        public Optional<HostObject> hostObject(Kind kind, String id) {
            beforeReread.accept(id);
            return Optional.ofNullable(objects.get(id));
        }

        @Override
        public Optional<HostObject> dind(String rangeId) {
            return objects.values().stream().filter(o -> o.kind() == Kind.CONTAINER && rangeId.equals(o.rangeId())
                    && "dind".equals(o.role())).findFirst();
        }

        @Override
        public List<VmState> vms(String rangeId) {
            return List.copyOf(vms.values());
        }

        @Override
        public Optional<VmState> vm(String rangeId, String name) {
            return Optional.ofNullable(vms.get(name));
        }

        @Override
        public void startDind(String rangeId) {
            startedDinds.add(rangeId);
            if (failDindStart != null) {
                throw new EngineException(failDindStart);
            }
            HostObject dind = dind(rangeId).orElseThrow();
            put(new HostObject(dind.kind(), dind.id(), dind.name(), rangeId, "dind", true, null, null,
                    dind.created(), true, dind.labels()));
        }

        @Override
        public int startVms(String rangeId, List<String> vmNames) {
            startedVms.add(List.copyOf(vmNames));
            int started = 0;
            for (String name : vmNames) {
                if (!vms.get(name).running()) {
                    vms.put(name, new VmState(name, vms.get(name).containerId(), true, null, null));
                    started++;
                }
            }
            return started;
        }

        @Override
        public void remove(HostObject object) {
            removed.add(object.id());
            objects.remove(object.id());
        }

        @Override
        public void releaseRange(String rangeId) {
            released.add(rangeId);
        }

        @Override
        public Subscription watchHost(Listener listener) {
            hostListener = listener;
            listener.onConnected(false);
            return () -> { };
        }

        @Override
        public Subscription watchRange(String rangeId, Listener listener) {
            rangeListeners.put(rangeId, listener);
            return () -> closedWatches.add(rangeId);
        }
    }

    /** Range histories as event payloads; facts folded from them as the real records do. */
    static final class FakeRecords implements RangeRecords {
        final Map<String, List<Object>> events = new LinkedHashMap<>();
        final Collection<String> live = new CopyOnWriteArrayList<>();

        void append(String rangeId, Object event) {
            events.computeIfAbsent(rangeId, id -> new CopyOnWriteArrayList<>()).add(event);
        }

        void requested(String rangeId) {
            append(rangeId, new RangeRequested(rangeId, "n", "bp", SampleBlueprints.CORP_LAN, "admin", 1));
            append(rangeId, new DinDCreated(rangeId, "c", "cyroid-range-" + rangeId, "172.30.1.2", "local"));
        }

        void deployed(String rangeId) {
            requested(rangeId);
            append(rangeId, new VmStarted(rangeId, "web", "w", SampleBlueprints.WEB_IPS));
            append(rangeId, new VmStarted(rangeId, "db", "d", SampleBlueprints.DB_IPS));
            append(rangeId, new RangeDeployed(rangeId));
        }

        void failed(String rangeId) {
            requested(rangeId);
            append(rangeId, new RangeDeploymentFailed(rangeId, "START_VM", "boom"));
        }

        void destroyed(String rangeId) {
            deployed(rangeId);
            append(rangeId, new RangeDestroyRequested(rangeId, "admin"));
            append(rangeId, new DinDRemoved(rangeId, "c", null));
            append(rangeId, new RangeDestroyed(rangeId));
        }

        @Override
        public List<String> liveRanges() {
            return List.copyOf(live);
        }

        @Override
        public RangeFacts facts(String rangeId) {
            return RangeFacts.of(rangeId, events.getOrDefault(rangeId, List.of()));
        }
    }

    /** Records what the reconciler reports, and applies it like the aggregate does. */
    static final class FakeReports implements SystemReports {
        final FakeRecords records;
        final List<String> vmStopped = new ArrayList<>();
        final List<String> degraded = new ArrayList<>();
        final List<String> recovered = new ArrayList<>();
        final List<OrphanRemoved> orphans = new ArrayList<>();

        FakeReports(FakeRecords records) {
            this.records = records;
        }

        @Override
        public boolean vmStopped(String rangeId, String vmName, String reason) {
            RangeFacts range = records.facts(rangeId);
            if (!range.live() || !range.runningVms().contains(vmName) || range.pendingActions().contains(vmName)) {
                return true; // the aggregate ignores it
            }
            vmStopped.add(rangeId + "/" + vmName + ": " + reason);
            records.append(rangeId, new VmStopped(rangeId, vmName, "system", reason));
            return true;
        }

        @Override
        public boolean degraded(String rangeId, String reason) {
            RangeStatus status = records.facts(rangeId).status();
            if (status == RangeStatus.DEGRADED) {
                return true;
            }
            if (status != RangeStatus.DEPLOYED) {
                return false;
            }
            degraded.add(rangeId + ": " + reason);
            records.append(rangeId, new RangeDegraded(rangeId, reason));
            return true;
        }

        @Override
        public boolean recovered(String rangeId, String note) {
            if (records.facts(rangeId).status() != RangeStatus.DEGRADED) {
                return false;
            }
            recovered.add(rangeId + ": " + note);
            records.append(rangeId, new RangeRecovered(rangeId, note));
            return true;
        }

        @Override
        public void orphanRemoved(OrphanRemoved removed) {
            orphans.add(removed);
        }
    }
}

package io.cyroid.provisioning.reconcile;

import io.cyroid.messages.OrphanRemoved;
import io.cyroid.messages.RangeStatus;
import io.cyroid.provisioning.EngineInventory;
import io.cyroid.provisioning.EngineInventory.ContainerEvent;
import io.cyroid.provisioning.EngineInventory.HostObject;
import io.cyroid.provisioning.EngineInventory.Kind;
import io.cyroid.provisioning.EngineInventory.Subscription;
import io.cyroid.provisioning.EngineInventory.VmState;
import io.cyroid.provisioning.docker.CyroidLabels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Cyroid's records true to the engine. Event streams give speed: the host engine's container events (a DinD
 * dies, starts, is removed) and each live range's inner engine's (a VM dies). A periodic pass gives truth: it finds
 * what the streams missed (an engine restart, a server that was down) and the orphans.
 *
 * <ul>
 *   <li>A VM of a live range that stopped behind Cyroid's back is recorded stopped ({@code RecordVmStopped}).</li>
 *   <li>A DEPLOYED range whose DinD is not running is marked DEGRADED with the reason; then the DinD and every VM
 *       are started again and the range is recorded recovered. A failed attempt is tried again on later passes,
 *       {@code recoveryAttempts} times at most; then the range stays DEGRADED.</li>
 *   <li>An object on the host labelled with a range id whose range is unknown, destroyed, or failed and cleaned up,
 *       is removed once older than the grace period, and the removal is published ({@code OrphanRemoved}).</li>
 * </ul>
 * Every action is decided again right before it is taken: the object's labels and state are read again from the
 * engine, and the range's state from its events (not from the lagging read model). Only objects made by this
 * installation are ever touched. Everything runs on the reconciler's own threads: one for the passes and the
 * events, a small pool for recoveries (which wait for inner engines); never on Netty's or Axon's.
 */
public class Reconciler implements AutoCloseable {

    static final String SYSTEM = "system";
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final Set<String> NEVER_ORPHANS = Set.of("mgmt", "ranges", "probe");
    private static final String DIND_ROLE = "dind";
    /** How far before the host engine's outage a DinD may have stopped and still be counted as stopped by it. */
    private static final Duration OUTAGE_MARGIN = Duration.ofSeconds(30);
    /**
     * How long a DinD's death is looked at later: an engine that shuts down stops its containers (and sends their
     * events) before it closes its event stream, and a DinD stopped by that must not be restarted into it.
     */
    private static final Duration DIND_DEATH_SETTLE = Duration.ofSeconds(3);

    private final EngineInventory inventory;
    private final RangeRecords records;
    private final SystemReports reports;
    private final ReconcileProperties properties;
    private final Clock clock;
    private final Executor recoveries;
    private final ScheduledExecutorService loop;

    private final Map<String, Subscription> watches = new ConcurrentHashMap<>();
    private final Map<String, Instant> orphanSeen = new ConcurrentHashMap<>();
    private final Map<String, Integer> recoveryAttempts = new ConcurrentHashMap<>();
    private final Set<String> recovering = ConcurrentHashMap.newKeySet();
    private volatile Subscription hostWatch;
    private volatile boolean hostConnected;
    private volatile Instant hostLostAt;
    private volatile Instant hostBackAt;

    /**
     * @param recoveries where recoveries run; {@code loop}: where passes and events run, or null to run them on the
     *                   caller's thread (tests)
     */
    Reconciler(EngineInventory inventory, RangeRecords records, SystemReports reports,
               ReconcileProperties properties, Clock clock, Executor recoveries, ScheduledExecutorService loop) {
        this.inventory = inventory;
        this.records = records;
        this.reports = reports;
        this.properties = properties;
        this.clock = clock;
        this.recoveries = recoveries;
        this.loop = loop;
    }

    /** The production set-up: a thread of its own for passes and events, two for recoveries. */
    public static Reconciler onOwnThreads(EngineInventory inventory, RangeRecords records, SystemReports reports,
                                          ReconcileProperties properties) {
        return new Reconciler(inventory, records, reports, properties, Clock.systemUTC(),
                Executors.newFixedThreadPool(2, threads("cyroid-recover")),
                Executors.newSingleThreadScheduledExecutor(threads("cyroid-reconcile")));
    }

    /** Opens the host engine's event stream and starts the periodic pass (the first one at once). */
    public void start() {
        log.info("reconciler: a pass every {} s, orphans removed after {} s, {} recovery attempts per range",
                properties.getInterval().toSeconds(), properties.getGrace().toSeconds(),
                properties.getRecoveryAttempts());
        hostWatch = inventory.watchHost(new HostListener());
        if (loop != null) {
            loop.scheduleWithFixedDelay(this::safePass, 0, properties.getInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        Subscription host = hostWatch;
        if (host != null) {
            host.close();
        }
        watches.values().forEach(Subscription::close);
        watches.clear();
        if (loop != null) {
            loop.shutdownNow();
        }
        if (recoveries instanceof java.util.concurrent.ExecutorService pool) {
            pool.shutdownNow();
        }
    }

    /** A range became DEPLOYED (or recovered): watch its VMs now rather than at the next pass. */
    public void rangeUp(String rangeId) {
        onLoop(() -> watch(rangeId));
    }

    /** A range is going away: stop watching it. */
    public void rangeGoing(String rangeId) {
        onLoop(() -> unwatch(rangeId));
    }

    private void onLoop(Runnable work) {
        if (loop == null) {
            work.run();
            return;
        }
        try {
            loop.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("reconciler: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the server is stopping
        }
    }

    private void safePass() {
        try {
            pass();
        } catch (RuntimeException e) {
            log.info("reconciler: pass skipped: {}", e.getMessage());
        }
    }

    /** One periodic pass: watches, the health of every live range, orphans. */
    void pass() {
        Instant now = clock.instant();
        List<HostObject> objects = inventory.hostObjects();
        Map<String, RangeFacts> facts = new HashMap<>();
        Set<String> live = new LinkedHashSet<>(records.liveRanges());
        for (String rangeId : List.copyOf(watches.keySet())) {
            if (!live.contains(rangeId) && !facts(facts, rangeId).live()) {
                unwatch(rangeId);
            }
        }
        for (String rangeId : live) {
            RangeFacts range = facts(facts, rangeId);
            if (range.live()) {
                watch(rangeId);
            }
            if (range.status() == RangeStatus.DEPLOYED) {
                recoveryAttempts.remove(rangeId);
                checkDeployed(range, objects);
            } else if (range.status() == RangeStatus.DEGRADED) {
                recoverSoon(rangeId);
            }
        }
        removeOrphans(objects, facts, now);
    }

    private RangeFacts facts(Map<String, RangeFacts> cache, String rangeId) {
        return cache.computeIfAbsent(rangeId, records::facts);
    }

    // ---------------------------------------------------------------- a deployed range: its DinD and its VMs

    private void checkDeployed(RangeFacts range, List<HostObject> objects) {
        Optional<HostObject> dind = objects.stream().filter(o -> o.kind() == Kind.CONTAINER
                && range.rangeId().equals(o.rangeId()) && DIND_ROLE.equals(o.role())).findFirst();
        if (dind.isEmpty() || !dind.get().running()) {
            dindDown(range.rangeId());
            return;
        }
        List<VmState> vms;
        try {
            vms = inventory.vms(range.rangeId());
        } catch (RuntimeException e) {
            log.debug("range {}: inner engine not reachable, VMs not checked: {}", range.rangeId(), e.getMessage());
            return;
        }
        for (String name : range.vms()) {
            if (!range.runningVms().contains(name) || range.pendingActions().contains(name)) {
                continue;
            }
            boolean running = vms.stream().anyMatch(vm -> name.equals(vm.name()) && vm.running());
            if (!running) {
                vmStopped(range.rangeId(), name);
            }
        }
    }

    /** A VM may have stopped: recorded if the range still counts it running and the engine, asked again, agrees. */
    private void vmStopped(String rangeId, String name) {
        RangeFacts range = records.facts(rangeId);
        if (!range.live() || !range.runningVms().contains(name) || range.pendingActions().contains(name)) {
            return;
        }
        Optional<VmState> now;
        try {
            now = inventory.vm(rangeId, name);
        } catch (RuntimeException e) {
            log.debug("range {}: VM {} not checked, inner engine not reachable: {}", rangeId, name, e.getMessage());
            return; // the DinD itself is down: that is reported on its own
        }
        if (now.isPresent() && now.get().running()) {
            return;
        }
        String reason = now.map(vm -> "exited with code " + vm.exitCode()
                        + (vm.finishedAt() == null ? "" : " at " + vm.finishedAt().truncatedTo(ChronoUnit.SECONDS)))
                .orElse("its container no longer exists");
        if (reports.vmStopped(rangeId, name, reason)) {
            log.info("range {}: VM {} stopped behind Cyroid's back: {}", rangeId, name, reason);
        }
    }

    /** The DinD of a range may be down: if the range is DEPLOYED and the engine agrees, DEGRADED, then recovery. */
    private void dindDown(String rangeId) {
        RangeFacts range = records.facts(rangeId);
        if (range.status() != RangeStatus.DEPLOYED) {
            if (range.status() == RangeStatus.DEGRADED) {
                recoverSoon(rangeId);
            }
            return;
        }
        Optional<HostObject> dind = inventory.dind(rangeId);
        if (dind.isPresent() && dind.get().running()) {
            return;
        }
        String reason = dind.map(this::whyNotRunning).orElse("the DinD container is gone");
        if (reports.degraded(rangeId, reason)) {
            log.warn("range {}: DEGRADED: {}", rangeId, reason);
        }
        recoveryAttempts.remove(rangeId);
        recoverSoon(rangeId);
    }

    private String whyNotRunning(HostObject dind) {
        StringBuilder reason = new StringBuilder("DinD exited");
        if (dind.exitCode() != null) {
            reason.append(" with code ").append(dind.exitCode());
        }
        if (dind.finishedAt() != null) {
            reason.append(" at ").append(dind.finishedAt().truncatedTo(ChronoUnit.SECONDS));
        }
        if (duringHostOutage(dind.finishedAt())) {
            reason.append(" (the host engine restarted)");
        }
        return reason.toString();
    }

    /** The host engine's event stream is broken now (it is stopping, restarting, or away). */
    private boolean hostAway() {
        return hostLostAt != null && hostBackAt == null;
    }

    /** The host engine's last outage (its stream broke and it did not answer for a while) covers this moment. */
    private boolean duringHostOutage(Instant stoppedAt) {
        Instant lost = hostLostAt;
        if (lost == null) {
            return false;
        }
        Instant back = hostBackAt == null ? clock.instant() : hostBackAt;
        return stoppedAt == null || !stoppedAt.isBefore(lost.minus(OUTAGE_MARGIN))
                && !stoppedAt.isAfter(back.plus(OUTAGE_MARGIN));
    }

    // ---------------------------------------------------------------- recovery

    private void recoverSoon(String rangeId) {
        if (!recovering.add(rangeId)) {
            return;
        }
        try {
            recoveries.execute(() -> {
                try {
                    recover(rangeId);
                } catch (RuntimeException e) {
                    log.warn("range {}: recovery failed: {}", rangeId, e.toString());
                } finally {
                    recovering.remove(rangeId);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            recovering.remove(rangeId);
        }
    }

    private void recover(String rangeId) {
        RangeFacts range = records.facts(rangeId);
        if (range.status() != RangeStatus.DEGRADED) {
            return;
        }
        if (hostAway()) {
            return; // the pass that runs when the engine answers again tries, and counts
        }
        int attempt = recoveryAttempts.merge(rangeId, 1, Integer::sum);
        int limit = properties.getRecoveryAttempts();
        if (attempt > limit) {
            if (attempt == limit + 1) {
                log.warn("range {}: not recovered after {} attempts; left DEGRADED ({})", rangeId, limit,
                        range.statusReason());
            }
            return;
        }
        try {
            inventory.startDind(rangeId);
            range = records.facts(rangeId);
            if (range.status() != RangeStatus.DEGRADED) {
                return; // destroyed, or recovered, meanwhile
            }
            int started = inventory.startVms(rangeId, range.vms());
            String note = "DinD and " + started + " VM" + (started == 1 ? "" : "s") + " restarted";
            if (reports.recovered(rangeId, note)) {
                log.info("range {}: recovered: {}", rangeId, note);
            }
            recoveryAttempts.remove(rangeId);
            onLoop(() -> watch(rangeId));
        } catch (RuntimeException e) {
            log.warn("range {}: recovery attempt {} of {} failed: {}", rangeId, attempt, limit, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- orphans

    private void removeOrphans(List<HostObject> objects, Map<String, RangeFacts> facts, Instant now) {
        Set<String> candidatesSeen = new HashSet<>();
        List<HostObject> due = new ArrayList<>();
        for (HostObject object : objects) {
            RangeFacts range = facts(facts, object.rangeId());
            if (!mayBeOrphan(object) || !range.gone() || waitingInPool(object, range)) {
                continue;
            }
            String key = object.kind() + "/" + object.id();
            candidatesSeen.add(key);
            Instant firstSeen = orphanSeen.computeIfAbsent(key, k -> now);
            Instant since = object.created() != null ? object.created() : firstSeen;
            if (Duration.between(since, now).compareTo(properties.getGrace()) >= 0) {
                due.add(object);
            }
        }
        orphanSeen.keySet().retainAll(candidatesSeen);
        // containers first: a volume or network in use by one cannot go before it
        due.sort(Comparator.comparing(o -> o.kind() == Kind.CONTAINER ? 0 : o.kind() == Kind.NETWORK ? 1 : 2));
        Set<String> ranges = new LinkedHashSet<>();
        for (HostObject object : due) {
            if (removeOrphan(object)) {
                ranges.add(object.rangeId());
            }
        }
        for (String rangeId : ranges) {
            try {
                inventory.releaseRange(rangeId);
            } catch (RuntimeException e) {
                log.info("range {}: socket folder not released: {}", rangeId, e.getMessage());
            }
        }
    }

    /**
     * A warm DinD (and its volume) waits for a range that has not been requested yet: its node's pool owns it, and
     * adopts or removes it when that node starts again. Once a range took it, it is that range's like any other.
     */
    private static boolean waitingInPool(HostObject object, RangeFacts range) {
        return object.labels().containsKey(CyroidLabels.POOL_NODE) && !range.known();
    }

    private static boolean mayBeOrphan(HostObject object) {
        return object.rangeId() != null && object.ownedHere() && !NEVER_ORPHANS.contains(object.role())
                && "true".equals(object.labels().get(CyroidLabels.MANAGED));
    }

    /** Reads the object's labels and its range's events again, then removes it; true if it was removed. */
    private boolean removeOrphan(HostObject seen) {
        Optional<HostObject> now = inventory.hostObject(seen.kind(), seen.id());
        if (now.isEmpty() || !mayBeOrphan(now.get()) || !Objects.equals(now.get().rangeId(), seen.rangeId())) {
            return false;
        }
        RangeFacts range = records.facts(seen.rangeId());
        if (!range.gone() || waitingInPool(now.get(), range)) {
            return false;
        }
        HostObject object = now.get();
        String why = !range.known() ? "no range with this id exists"
                : range.status() == RangeStatus.DESTROYED ? "its range is destroyed"
                : "its range failed and was cleaned up";
        String reason = why + "; orphaned for more than " + properties.getGrace().toSeconds() + " s";
        try {
            inventory.remove(object);
        } catch (RuntimeException e) {
            log.warn("orphan {} {} of range {} not removed: {}", kindName(object), object.name(), object.rangeId(),
                    e.getMessage());
            return false;
        }
        orphanSeen.remove(object.kind() + "/" + object.id());
        log.warn("orphan {} {} of range {} removed: {}", kindName(object), object.name(), object.rangeId(), reason);
        reports.orphanRemoved(new OrphanRemoved(kindName(object), object.id(), object.name(), object.rangeId(),
                reason));
        return true;
    }

    private static String kindName(HostObject object) {
        return object.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    // ---------------------------------------------------------------- event streams

    private void watch(String rangeId) {
        watches.computeIfAbsent(rangeId, id -> {
            log.info("range {}: watching its VMs", id);
            return inventory.watchRange(id, new RangeListener(id));
        });
    }

    private void unwatch(String rangeId) {
        Subscription watch = watches.remove(rangeId);
        if (watch != null) {
            log.info("range {}: no longer watching its VMs", rangeId);
            watch.close();
        }
    }

    /** Tests: the ranges whose inner engines are watched. */
    Set<String> watched() {
        return Set.copyOf(watches.keySet());
    }

    void hostEvent(ContainerEvent event) {
        if (event.rangeId() == null || !DIND_ROLE.equals(event.role())) {
            return;
        }
        switch (event.action()) {
            case "die", "destroy" -> dindDown(event.rangeId());
            case "start" -> {
                if (records.facts(event.rangeId()).status() == RangeStatus.DEGRADED) {
                    recoverSoon(event.rangeId()); // someone started it: finish the job, or see it fail
                }
            }
            default -> {
            }
        }
    }

    void rangeEvent(String rangeId, ContainerEvent event) {
        if ("die".equals(event.action()) && event.name() != null && rangeId.equals(event.rangeId())) {
            vmStopped(rangeId, event.name());
        }
    }

    /** The host engine's stream: a break followed by failed reconnects is an outage (an engine restart). */
    private final class HostListener implements EngineInventory.Listener {
        @Override
        public void onEvent(ContainerEvent event) {
            boolean death = DIND_ROLE.equals(event.role()) && !"start".equals(event.action());
            if (death && loop != null) {
                try {
                    loop.schedule(() -> {
                        try {
                            hostEvent(event);
                        } catch (RuntimeException e) {
                            log.warn("reconciler: {}", e.toString());
                        }
                    }, DIND_DEATH_SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the server is stopping
                }
                return;
            }
            onLoop(() -> hostEvent(event));
        }

        @Override
        public void onConnected(boolean afterOutage) {
            if (!hostConnected) {
                hostConnected = true;
                return;
            }
            if (!afterOutage && hostBackAt == null) {
                hostLostAt = null; // a break without an outage (an idle stream timed out): no restart
            }
            if (afterOutage) {
                hostBackAt = clock.instant();
                recoveryAttempts.clear(); // a new situation: every DEGRADED range gets its attempts again
                log.warn("reconciler: the host engine answers again (it was away since {}): checking every range",
                        hostLostAt);
            }
            onLoop(Reconciler.this::safePass); // whatever happened while the stream was down
        }

        @Override
        public void onDisconnected(String reason) {
            if (hostLostAt == null || hostBackAt != null) {
                hostLostAt = clock.instant();
                hostBackAt = null;
            }
            log.info("reconciler: lost the host engine's event stream: {}", reason);
        }
    }

    private final class RangeListener implements EngineInventory.Listener {
        private final String rangeId;

        RangeListener(String rangeId) {
            this.rangeId = rangeId;
        }

        @Override
        public void onEvent(ContainerEvent event) {
            onLoop(() -> rangeEvent(rangeId, event));
        }
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

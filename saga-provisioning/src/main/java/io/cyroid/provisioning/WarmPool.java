package io.cyroid.provisioning;

import io.cyroid.blueprint.ResourceSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DinDs started ahead of demand. Each warm DinD is made for a fresh range id: a deploy whose blueprint asks for the
 * default resources takes one and requests its range under that id, so the saga's CREATE_DIND finds the DinD
 * already running (the engine's create is idempotent) and no label or name ever has to change. A warm DinD serves
 * exactly one range: its id is handed out once, and a destroyed range's DinD goes with the range.
 *
 * <p>Everything here runs on the pool's own threads; {@link #take} and {@link #status} only read memory, so the API
 * may call them on any thread.
 */
public class WarmPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WarmPool.class);
    /** Images added to the shared copy because deploys used them, beyond the configured ones. */
    static final int MAX_LEARNED = 20;
    /** How soon the pool looks again whether the engine's deploy work is done. */
    static final java.time.Duration IDLE_CHECK = java.time.Duration.ofMillis(250);

    private final PoolEngine engine;
    private final ProvisioningProperties.PoolSettings settings;
    private final Supplier<String> ids;
    private final Predicate<String> requested;
    private final BooleanSupplier deploying;
    private final AtomicBoolean refillWaiting = new AtomicBoolean();
    private final Clock clock;
    private final Deque<String> ready = new ConcurrentLinkedDeque<>();
    private final Map<String, Instant> readySince = new ConcurrentHashMap<>();
    private final Map<String, String> sharedOf = new ConcurrentHashMap<>();
    private final Set<String> learned = ConcurrentHashMap.newKeySet();
    private final AtomicInteger warming = new AtomicInteger();
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final ScheduledExecutorService loop;
    private final ExecutorService starters;
    private volatile PoolStatus.Shared shared = new PoolStatus.Shared("OFF", null, List.of(), List.of(), null);
    private volatile int dinds;
    private volatile String lastError;
    private volatile boolean started;

    /**
     * @param engine    null when there is no engine adapter: the pool is then off
     * @param requested true if a range with this id was ever requested (its events exist)
     * @param deploying true while the engine has deploy work queued or running: the pool refills only when it has
     *                  none, so a warm DinD starting never takes the CPU from a deploy (measured: a refill during a
     *                  warm deploy made its VMs start 0.5 s slower on 2 cores than a cold deploy's)
     */
    public WarmPool(PoolEngine engine, ProvisioningProperties.PoolSettings settings, Supplier<String> ids,
                    Predicate<String> requested, BooleanSupplier deploying, Clock clock) {
        this.engine = engine;
        this.settings = settings;
        this.ids = ids;
        this.requested = requested;
        this.deploying = deploying;
        this.clock = clock;
        this.loop = Executors.newSingleThreadScheduledExecutor(named("cyroid-pool"));
        this.starters = Executors.newFixedThreadPool(Math.max(1, settings.getStartThreads()),
                named("cyroid-pool-start"));
    }

    /** Builds the shared images, adopts this node's waiting DinDs from before a restart, then keeps the pool full. */
    public void start() {
        if (engine == null || started) {
            return;
        }
        started = true;
        loop.execute(this::prepare);
        long every = Math.max(1, settings.getCheckInterval().toMillis());
        loop.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A warm DinD's range id for a deploy, if one waits. The caller requests its range under this id, or gives it
     * back if the request fails; the range's CREATE_DIND step sets the DinD's limits to the blueprint's.
     */
    public Optional<String> take(ResourceSpec resources) {
        if (!enabled()) {
            return Optional.empty();
        }
        String rangeId = ready.pollFirst();
        if (rangeId == null) {
            misses.incrementAndGet();
            return Optional.empty();
        }
        readySince.remove(rangeId);
        sharedOf.remove(rangeId);
        taken.incrementAndGet();
        loop.execute(this::refill);
        return Optional.of(rangeId);
    }

    /**
     * The images a deploy uses. One that the shared copy lacks (and that is not known to be missing from the host)
     * is added to it in the background, so the next DinDs start with the blueprints' common images: a class
     * deploying one blueprint pays the load once. Waiting DinDs made from the older copy are replaced.
     */
    public void wants(List<String> images) {
        if (engine == null || !started) {
            return;
        }
        PoolStatus.Shared now = shared;
        List<String> fresh = images.stream().filter(i -> !now.images().contains(i) && !now.missing().contains(i)
                && !learned.contains(i) && !configured().contains(i)).distinct().toList();
        if (fresh.isEmpty()) {
            return;
        }
        if (learned.size() + fresh.size() > MAX_LEARNED) {
            log.info("pool: not adding {} to the shared images: {} learned already (list the common ones in"
                    + " CYROID_GOLDEN_IMAGES)", fresh, learned.size());
            return;
        }
        learned.addAll(fresh);
        log.info("pool: adding {} to the shared images", fresh);
        loop.execute(() -> {
            String before = shared.name();
            share();
            if (!Objects.equals(before, shared.name())) {
                recycle();
            }
            refill();
        });
    }

    /** A taken id whose range was not requested after all: it never served a range, so it waits again. */
    public void giveBack(String rangeId) {
        readySince.put(rangeId, clock.instant());
        ready.addFirst(rangeId);
    }

    public PoolStatus status() {
        List<PoolStatus.Waiting> waiting = new ArrayList<>();
        for (String rangeId : ready) {
            waiting.add(new PoolStatus.Waiting(rangeId, readySince.get(rangeId)));
        }
        return new PoolStatus(enabled(), enabled() ? settings.getSize() : 0, waiting.size(), warming.get(),
                taken.get(), misses.get(), waiting, shared, new PoolStatus.Capacity(dinds, settings.getMaxDinds()),
                lastError);
    }

    private boolean enabled() {
        return engine != null && settings.getSize() > 0;
    }

    private List<String> configured() {
        return settings.getGoldenImages().stream().filter(i -> i != null && !i.isBlank()).map(String::strip)
                .distinct().toList();
    }

    private void prepare() {
        share();
        adopt();
        refill();
    }

    private void share() {
        List<String> images = Stream.concat(configured().stream(), learned.stream().sorted()).distinct().toList();
        if (!images.isEmpty()) {
            shared = new PoolStatus.Shared("BUILDING", null, images, List.of(), null);
            try {
                PoolEngine.SharedImages result = engine.shareImages(images);
                shared = result.name() == null
                        ? new PoolStatus.Shared("FAILED", null, List.of(), result.missing(),
                        "none of the images is on the host engine")
                        : new PoolStatus.Shared("READY", result.name(), result.images(), result.missing(), null);
            } catch (RuntimeException e) {
                shared = new PoolStatus.Shared("FAILED", null, List.of(), images, e.getMessage());
                log.warn("shared images not built, DinDs load their own: {}", e.getMessage());
            }
        }
    }

    /** Waiting DinDs made from an older shared copy (or none) go; the refill makes them again from the current. */
    private void recycle() {
        for (String rangeId : List.copyOf(ready)) {
            if (!Objects.equals(sharedOf.get(rangeId), shared.name()) && ready.remove(rangeId)) {
                readySince.remove(rangeId);
                sharedOf.remove(rangeId);
                engine.discard(rangeId);
                log.info("pool: warm DinD for {} replaced: the shared images changed", rangeId);
            }
        }
    }

    /** This node's warm DinDs from before a restart: unclaimed ones that still answer wait again, others go. */
    private void adopt() {
        try {
            for (String rangeId : engine.warmDinds()) {
                if (requested.test(rangeId) || ready.contains(rangeId)) {
                    continue; // a range took it: the range owns it now
                }
                if (ready.size() < settings.getSize() && engine.answers(rangeId)) {
                    giveBack(rangeId);
                    log.info("pool: warm DinD for {} adopted after a restart", rangeId);
                } else {
                    engine.discard(rangeId);
                    log.info("pool: warm DinD for {} removed (not needed or not answering)", rangeId);
                }
            }
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            log.warn("pool: adopting waiting DinDs failed: {}", e.getMessage());
        }
    }

    private void refill() {
        if (!enabled()) {
            return;
        }
        if (deploying.getAsBoolean()) {
            // again shortly, once; deploys first
            if (refillWaiting.compareAndSet(false, true)) {
                loop.schedule(() -> {
                    refillWaiting.set(false);
                    refill();
                }, IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        try {
            dinds = engine.dindCount();
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            return;
        }
        while (ready.size() + warming.get() < settings.getSize()
                && dinds + warming.get() < settings.getMaxDinds()) {
            warming.incrementAndGet();
            String rangeId = ids.get();
            starters.execute(() -> warm(rangeId));
        }
    }

    private void warm(String rangeId) {
        long begin = System.nanoTime();
        try {
            String from = shared.name();
            engine.startWarmDind(rangeId);
            sharedOf.put(rangeId, String.valueOf(from));
            readySince.put(rangeId, clock.instant());
            ready.addLast(rangeId);
            lastError = null;
            log.info("pool: warm DinD for {} ready in {} ms", rangeId, (System.nanoTime() - begin) / 1_000_000);
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            log.warn("pool: a warm DinD did not start: {}", e.getMessage());
            try {
                engine.discard(rangeId);
            } catch (RuntimeException ignored) {
                // the reconciler's orphan pass removes what is left
            }
        } finally {
            warming.decrementAndGet();
        }
    }

    /** Periodically: a waiting DinD that died is replaced; the pool is topped up. */
    private void check() {
        for (String rangeId : List.copyOf(ready)) {
            try {
                if (!engine.answers(rangeId) && ready.remove(rangeId)) {
                    readySince.remove(rangeId);
                    log.warn("pool: warm DinD for {} stopped answering: replaced", rangeId);
                    engine.discard(rangeId);
                }
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
        }
        refill();
    }

    /** Waiting DinDs stay on the engine: the next start of this node adopts them. */
    @Override
    public void close() {
        loop.shutdownNow();
        starters.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

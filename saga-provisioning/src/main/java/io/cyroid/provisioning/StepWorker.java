package io.cyroid.provisioning;

import io.cyroid.messages.IllegalTransitionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the engine work the saga decides on, on threads of its own: Axon's event processors only decide and
 * record, so a several-gigabyte image copy never holds a processor thread, a transaction or a connection, and Axon's
 * handler timeout never interrupts it. Each outcome goes back to the range as a command.
 *
 * <ul>
 *   <li>At most {@code engineConcurrency} engine jobs run at once (the host's disk and CPUs are shared by every
 *       inner engine); the rest queue, VM actions ahead of provisioning. Removals run on threads of their own, so a
 *       DELETE never waits behind a burst of deploys.</li>
 *   <li>A range's jobs queue in the order the saga hands them over, e.g. all its VMs at once; ranges take turns
 *       (see {@link Attempt}). A job that must wait the VM settle time waits on a timer, never in a slot.</li>
 *   <li>A transient engine error (no answer, a timeout) is retried with doubling back-off, {@code stepAttempts}
 *       times in all; then, like any other error, it fails the step with the engine's words.</li>
 *   <li>Once a range is being removed, its other jobs stop: queued ones are dropped, and one that finishes anyway
 *       removes the range again, since what it built may postdate the removal.</li>
 *   <li>Work in memory does not survive a restart: the saga keeps its jobs in flight in its stored state and hands
 *       them over again when the node announces its start ({@code ProvisioningNodeStarted}).</li>
 * </ul>
 * Time limits are not kept here: each step has a persisted Axon deadline in the saga, and no thread is ever
 * interrupted in the middle of a stream.
 */
public class StepWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StepWorker.class);

    private final RangeEngine engine;
    private final CommandGateway commands;
    private final ProvisioningProperties properties;
    private final FaultInjection faults;
    private final ThreadPoolExecutor work;
    private final ThreadPoolExecutor removals;
    private final ScheduledExecutorService retries;
    private final AtomicLong sequence = new AtomicLong();
    /** Jobs queued, running, waiting for a retry or for the settle time, by range id + key: a job handed over twice
     * runs once. */
    private final Map<String, Instant> inFlight = new ConcurrentHashMap<>();
    /** Jobs running now, by range id + key, with their start. */
    private final Map<String, Instant> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> removing = new ConcurrentHashMap<>();
    /** Jobs handed over per range so far: the queue takes ranges in turn, so a range of 400 networks never makes
     * a range requested after it wait for all of them. */
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();

    public StepWorker(RangeEngine engine, CommandGateway commands, ProvisioningProperties properties,
                      FaultInjection faults) {
        this.engine = engine;
        this.commands = commands;
        this.properties = properties;
        this.faults = faults;
        this.work = new ThreadPoolExecutor(properties.getEngineConcurrency(), properties.getEngineConcurrency(),
                0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(64,
                Comparator.comparing(r -> ((Attempt) r))), threads("cyroid-engine"));
        this.removals = new ThreadPoolExecutor(properties.getRemovalThreads(), properties.getRemovalThreads(),
                0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(16,
                Comparator.comparing(r -> ((Attempt) r))), threads("cyroid-removal"));
        this.retries = Executors.newSingleThreadScheduledExecutor(threads("cyroid-retry"));
    }

    /**
     * Hands a job over. Inside a unit of work (a saga handler) it starts only once that unit has committed, so the
     * saga's record of the job in flight, and its deadline, exist before the job can report back.
     */
    public void submit(EngineJob job) {
        MetaData origin = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().getCorrelationData()
                : MetaData.emptyInstance();
        if (job instanceof EngineJob.RemoveRange) {
            removing.put(job.rangeId(), true); // at once: nothing new of this range starts from now on
        }
        Runnable enqueue = () -> {
            if (inFlight.putIfAbsent(id(job), Instant.now()) == null) {
                Attempt first = new Attempt(job, 1, origin, turn(job.rangeId()), sequence.incrementAndGet());
                if (job.afterSettleTime()) {
                    // the wait is a timer, not a sleeping engine thread: other ranges' jobs use the slot meanwhile
                    retries.schedule(() -> execute(first), properties.getVmSettleTime().toMillis(),
                            TimeUnit.MILLISECONDS);
                } else {
                    execute(first);
                }
            } else {
                log.debug("range {}: {} already in flight", job.rangeId(), job.key());
            }
        };
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(uow -> enqueue.run());
        } else {
            enqueue.run();
        }
    }

    /** Engine jobs queued or waiting for a retry, and running. */
    public Load load() {
        Optional<Instant> oldest = running.values().stream().min(Comparator.naturalOrder());
        return new Load(inFlight.size() - running.size(), running.size(),
                oldest.map(start -> Duration.between(start, Instant.now())).orElse(Duration.ZERO));
    }

    public record Load(int waiting, int running, Duration longestRunning) {
    }

    /** The range is gone: forget what the worker remembered of it. */
    public void forget(String rangeId) {
        turns.remove(rangeId);
    }

    private long turn(String rangeId) {
        return turns.computeIfAbsent(rangeId, id -> new AtomicLong()).incrementAndGet();
    }

    private void execute(Attempt attempt) {
        (attempt.job instanceof EngineJob.RemoveRange ? removals : work).execute(attempt);
    }

    private void run(Attempt attempt) {
        EngineJob job = attempt.job;
        String id = id(job);
        boolean removal = job instanceof EngineJob.RemoveRange;
        if (!removal && removing.containsKey(job.rangeId())) {
            inFlight.remove(id);
            return; // the range is being removed: its provisioning is over
        }
        if (removal) {
            awaitOtherJobs(job.rangeId());
        }
        running.put(id, Instant.now());
        Object outcome;
        try {
            faults.delay(job.step());
            outcome = job.perform(engine);
            faults.check(job.step());
        } catch (RuntimeException e) {
            running.remove(id);
            failed(attempt, e);
            return;
        }
        running.remove(id);
        if (!removal && removing.containsKey(job.rangeId())) {
            inFlight.remove(id);
            log.info("range {}: {} finished after the range's removal began; removing again", job.rangeId(),
                    job.key());
            submit(new EngineJob.RemoveRange(job.rangeId()));
            return;
        }
        inFlight.remove(id);
        report(job, outcome, attempt.origin);
    }

    private void failed(Attempt attempt, RuntimeException e) {
        EngineJob job = attempt.job;
        boolean transientFailure = e instanceof EngineException engineError && engineError.isTransient();
        if (transientFailure && attempt.number < properties.getStepAttempts()) {
            Duration pause = properties.getRetryBackoff().multipliedBy(1L << Math.min(attempt.number - 1, 10));
            log.warn("range {}: {} attempt {} of {} failed, again in {} ms: {}", job.rangeId(), job.key(),
                    attempt.number, properties.getStepAttempts(), pause.toMillis(), e.getMessage());
            retries.schedule(() -> execute(new Attempt(job, attempt.number + 1, attempt.origin, attempt.turn,
                    sequence.incrementAndGet())), pause.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        inFlight.remove(id(job));
        String reason = reason(e) + (attempt.number > 1 ? " (after " + attempt.number + " attempts)" : "");
        log.warn("range {}: {} failed: {}", job.rangeId(), job.key(), reason);
        if (!(job instanceof EngineJob.RemoveRange) && removing.containsKey(job.rangeId())) {
            return; // a failure of a range being removed tells nobody anything
        }
        report(job, job.failure(reason), attempt.origin);
    }

    /** Sends the outcome; the range refusing it (it moved on meanwhile, e.g. to DESTROYING) is no error. */
    private void report(EngineJob job, Object command, MetaData origin) {
        for (int attempt = 1; ; attempt++) {
            try {
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(origin));
                return;
            } catch (IllegalTransitionException refused) {
                log.info("range {}: {} not recorded: {}", job.rangeId(), job.key(), refused.getMessage());
                return;
            } catch (ConcurrencyException e) {
                if (attempt >= 3) {
                    log.error("range {}: {} could not be recorded: {}", job.rangeId(), job.key(), e.getMessage());
                    return;
                }
            } catch (RuntimeException e) {
                // the saga's step deadline fails the range if its outcome is never recorded
                log.error("range {}: {} could not be recorded: {}", job.rangeId(), job.key(), e.toString());
                return;
            }
        }
    }

    /** A removal first lets the range's running jobs finish (they may be creating what it must remove). */
    private void awaitOtherJobs(String rangeId) {
        long deadline = System.nanoTime() + properties.getRemovalWait().toNanos();
        String prefix = rangeId + "/";
        while (System.nanoTime() < deadline && running.keySet().stream().anyMatch(k -> k.startsWith(prefix))) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String reason(Throwable e) {
        if (e instanceof EngineException) {
            return e.getMessage();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "internal error (" + e.getClass().getSimpleName() + ")"
                : EngineMessages.clean(message);
    }

    private static String id(EngineJob job) {
        return job.rangeId() + "/" + job.key();
    }

    @Override
    public void close() {
        retries.shutdownNow();
        work.shutdown();
        removals.shutdown();
        try {
            // jobs still running resume after the restart: the saga hands them over again
            if (!work.awaitTermination(5, TimeUnit.SECONDS) || !removals.awaitTermination(5, TimeUnit.SECONDS)) {
                log.info("engine jobs still running at shutdown resume after the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdownNow();
        removals.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One try of a job. VM actions go ahead of provisioning; then ranges take turns (a range's n-th job after every
     * other range's (n-1)-th); then first come, first served.
     */
    private final class Attempt implements Runnable, Comparable<Attempt> {
        final EngineJob job;
        final int number;
        final MetaData origin;
        final long turn;
        final long order;

        Attempt(EngineJob job, int number, MetaData origin, long turn, long order) {
            this.job = job;
            this.number = number;
            this.origin = origin;
            this.turn = turn;
            this.order = order;
        }

        @Override
        public void run() {
            StepWorker.this.run(this);
        }

        private int rank() {
            return job instanceof EngineJob.ActOnVm ? 0 : 1;
        }

        @Override
        public int compareTo(Attempt other) {
            int byRank = Integer.compare(rank(), other.rank());
            if (byRank != 0) {
                return byRank;
            }
            int byTurn = Long.compare(turn, other.turn);
            return byTurn != 0 ? byTurn : Long.compare(order, other.order);
        }
    }
}

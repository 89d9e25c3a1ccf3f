package io.cyroid.api.range;

import io.cyroid.messages.DeploymentStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The steps of a range's life, from its events: what an operator reads to see which step failed, after how long,
 * and what the compensation left behind. Step boundaries come from the event timestamps alone, never from the order
 * of the events, because networks, images and VMs may be worked on side by side.
 */
public final class RangeTimeline {

    public static final String OK = "OK";
    public static final String FAILED = "FAILED";
    /** A removal that left something behind (named in {@code detail}). */
    public static final String PARTIAL = "PARTIAL";
    /** Under way when another step failed, or the range was destroyed: it never finished. */
    public static final String ABORTED = "ABORTED";
    public static final String RUNNING = "RUNNING";
    public static final String DEPLOY = "DEPLOY";
    public static final String COMPENSATE = "COMPENSATE";
    public static final String DESTROY = "DESTROY";
    public static final String RECOVER = "RECOVER";
    /** Every VM still running after the settle time, checked once after the last VM started. */
    public static final String CONFIRM_RUNNING = "CONFIRM_RUNNING";

    /**
     * @param step   DEPLOY (the whole deployment), a {@link DeploymentStep} name, CONFIRM_RUNNING, COMPENSATE, DESTROY,
     *               RECOVER, or VM_START/VM_STOP/VM_RESTART/VM_RESET
     * @param target the network or VM the step worked on, if any
     * @param detail the engine's error text of a failed step, what a removal left behind, why a range degraded
     */
    public record Step(String step, String target, Instant start, Instant end, Long durationMs, String outcome,
                       String detail) {
    }

    public record Timeline(String rangeId, List<Step> steps) {
    }

    private final TimelineFacts facts;
    private final List<Step> steps = new ArrayList<>();

    private RangeTimeline(List<RangeHistory.Entry> events) {
        this.facts = new TimelineFacts(events);
    }

    /** The timeline of one range's events, in the event store's order. */
    public static Timeline of(String rangeId, List<RangeHistory.Entry> events) {
        RangeTimeline timeline = new RangeTimeline(events);
        timeline.provisioning();
        timeline.afterwards();
        timeline.steps.sort(Comparator.comparing(Step::start).thenComparing(Step::end,
                Comparator.nullsLast(Comparator.naturalOrder())));
        return new Timeline(rangeId, List.copyOf(timeline.steps));
    }

    private void provisioning() {
        TimelineFacts f = facts;
        if (f.requested == null) {
            return;
        }
        work(DeploymentStep.CREATE_DIND, null, f.requested, f.dind);
        f.networks.forEach(name -> work(DeploymentStep.CREATE_NETWORK, name, f.dind, f.networkCreated.get(name)));
        work(DeploymentStep.SEED_IMAGES, null, f.dind, f.imagesSeeded);
        f.vms.forEach(name -> work(DeploymentStep.START_VM, name, f.vmMayStart(name), f.vmStarted.get(name)));
        // the settle-time check after the last VM; its failure is reported as START_VM, naming the VM
        work(CONFIRM_RUNNING, DeploymentStep.START_VM, null, f.allVmsStarted(), f.deployed);
        Instant end = f.deployed != null ? f.deployed : f.failedAt != null ? f.failedAt : f.destroyRequested;
        String outcome = f.deployed != null ? OK : f.failedAt != null ? FAILED : f.destroyRequested != null ? ABORTED
                : RUNNING;
        add(DEPLOY, null, f.requested, end, outcome, f.failedAt == null ? null : f.failedStep + ": " + f.failedReason);
    }

    /**
     * One provisioning step. Not listed when it never started. Unfinished when the deployment failed: FAILED if it is
     * the failed step (and the only one of its kind under way, or the one the reason names), ABORTED otherwise.
     */
    private void work(String step, String target, Instant start, Instant end) {
        work(step, step, target, start, end);
    }

    /** {@code failsAs}: the step name a failure of this step carries. */
    private void work(String step, String failsAs, String target, Instant start, Instant end) {
        TimelineFacts f = facts;
        if (start == null) {
            return;
        }
        if (end != null) {
            add(step, target, start, end, OK, null);
        } else if (f.failedAt != null) {
            boolean failed = failsAs.equals(f.failedStep) && (target == null || f.pending(step) <= 1
                    || f.failedReason.contains(target) || !f.reasonNamesAny(step));
            add(step, target, start, f.failedAt, failed ? FAILED : ABORTED, failed ? f.failedReason : null);
        } else if (f.destroyRequested != null) {
            add(step, target, start, f.destroyRequested, ABORTED, null);
        } else {
            add(step, target, start, null, RUNNING, null);
        }
    }

    private void afterwards() {
        TimelineFacts f = facts;
        if (f.failedAt != null && (f.compensated != null || f.destroyRequested == null)) {
            removal(COMPENSATE, f.failedAt, f.compensated, f.compensationLeftovers);
        }
        if (f.destroyRequested != null) {
            removal(DESTROY, f.destroyRequested, f.destroyed, f.destroyLeftovers);
        }
        f.degradations.forEach(d -> add(RECOVER, null, d.start(), d.end(), d.end() == null ? RUNNING : OK,
                d.detail()));
        f.vmActions.forEach(a -> add(a.step(), a.target(), a.start(), a.end(), a.outcome(), a.detail()));
    }

    private void removal(String step, Instant start, Instant end, String leftovers) {
        String outcome = end == null ? RUNNING : leftovers != null && !leftovers.isBlank() ? PARTIAL : OK;
        add(step, null, start, end, outcome, outcome.equals(PARTIAL) ? "left behind: " + leftovers : null);
    }

    private void add(String step, String target, Instant start, Instant end, String outcome, String detail) {
        Long duration = end == null ? null : Duration.between(start, end).toMillis();
        steps.add(new Step(step, target, start, end, duration, outcome, detail));
    }
}

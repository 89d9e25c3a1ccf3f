package io.cyroid.api;

import io.cyroid.provisioning.BoundedRetryErrorHandler;
import io.cyroid.provisioning.StepWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The event processors in /actuator/health: DOWN when one is not running, has a segment in error, or is stuck
 * (behind the event store, and its position has not moved for {@link #STUCK_AFTER}). Also shows the engine worker's
 * load and the last event that the saga processor gave up on.
 */
@Component("eventProcessors")
public class EventProcessorHealth implements HealthIndicator {

    static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private final EventProcessingConfiguration processing;
    private final StepWorker worker;
    private final BoundedRetryErrorHandler sagaErrors;
    /** Per processor and segment: the last position seen and when it last moved. */
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();

    private record Progress(long position, Instant since) {
    }

    private final Supplier<Instant> clock;

    @Autowired
    public EventProcessorHealth(EventProcessingConfiguration processing, StepWorker worker,
                                BoundedRetryErrorHandler sagaErrors) {
        this(processing, worker, sagaErrors, Instant::now);
    }

    EventProcessorHealth(EventProcessingConfiguration processing, StepWorker worker,
                         BoundedRetryErrorHandler sagaErrors, Supplier<Instant> clock) {
        this.clock = clock;
        this.processing = processing;
        this.worker = worker;
        this.sagaErrors = sagaErrors;
    }

    @Override
    public Health health() {
        boolean down = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (var entry : processing.eventProcessors().entrySet()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            if (entry.getValue() instanceof TrackingEventProcessor tracking) {
                detail.put("running", tracking.isRunning());
                down |= !tracking.isRunning() || tracking.isError();
                for (var segment : tracking.processingStatus().entrySet()) {
                    String problem = problem(entry.getKey() + "/" + segment.getKey(), segment.getValue());
                    if (problem != null) {
                        detail.put("segment " + segment.getKey(), problem);
                        down = true;
                    }
                }
            } else {
                detail.put("running", entry.getValue().isRunning());
                down |= !entry.getValue().isRunning();
            }
            details.put(entry.getKey(), detail);
        }
        StepWorker.Load load = worker.load();
        details.put("engineJobs", Map.of("waiting", load.waiting(), "running", load.running(),
                "longestRunningSeconds", load.longestRunning().toSeconds()));
        BoundedRetryErrorHandler.Skipped skipped = sagaErrors.lastSkipped();
        if (skipped != null) {
            details.put("lastSkippedEvent", skipped);
        }
        return (down ? Health.down() : Health.up()).withDetails(details).build();
    }

    private String problem(String key, EventTrackerStatus status) {
        if (status.isErrorState()) {
            Throwable error = status.getError();
            return "error: " + (error == null ? "unknown" : error.toString());
        }
        OptionalLong position = status.getCurrentPosition();
        if (status.isCaughtUp() || position.isEmpty()) {
            progress.remove(key);
            return null;
        }
        Instant now = clock.get();
        Progress seen = progress.compute(key, (k, old) -> old == null || old.position() != position.getAsLong()
                ? new Progress(position.getAsLong(), now) : old);
        Duration still = Duration.between(seen.since(), now);
        return still.compareTo(STUCK_AFTER) > 0 ? "stuck at position " + seen.position() + " for "
                + still.toSeconds() + " s, behind the event store" : null;
    }
}

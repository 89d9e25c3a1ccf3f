package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.cyroid.provisioning.BoundedRetryErrorHandler;
import io.cyroid.provisioning.StepWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/** Health says DOWN for a processor that stopped or has a segment in error; UP otherwise. No engine needed. */
class EventProcessorHealthTest {

    EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    TrackingEventProcessor saga = mock(TrackingEventProcessor.class);
    EventTrackerStatus segment = mock(EventTrackerStatus.class);
    StepWorker worker = mock(StepWorker.class);
    EventProcessorHealth health;
    Instant now = Instant.parse("2026-11-28T09:00:00Z");

    @BeforeEach
    void setUp() {
        when(processing.eventProcessors()).thenReturn(Map.<String, EventProcessor>of("ProvisioningSagaProcessor",
                saga));
        when(saga.isRunning()).thenReturn(true);
        when(saga.processingStatus()).thenReturn(Map.of(0, segment));
        when(segment.isCaughtUp()).thenReturn(true);
        when(segment.getCurrentPosition()).thenReturn(OptionalLong.of(42));
        when(worker.load()).thenReturn(new StepWorker.Load(0, 1, Duration.ofSeconds(3)));
        health = new EventProcessorHealth(processing, worker, new BoundedRetryErrorHandler(3), () -> now);
    }

    @Test
    void runningAndCaughtUpIsUp() {
        var result = health.health();
        assertThat(result.getStatus()).isEqualTo(Status.UP);
        assertThat(result.getDetails()).containsKey("engineJobs");
    }

    @Test
    void aSegmentInErrorIsDown() {
        when(segment.isErrorState()).thenReturn(true);
        when(segment.getError()).thenReturn(new IllegalStateException("database gone"));
        var result = health.health();
        assertThat(result.getStatus()).isEqualTo(Status.DOWN);
        assertThat(result.getDetails().get("ProvisioningSagaProcessor").toString()).contains("database gone");
    }

    @Test
    void aStoppedProcessorIsDown() {
        when(saga.isRunning()).thenReturn(false);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void behindButMovingIsUp() {
        when(segment.isCaughtUp()).thenReturn(false);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        when(segment.getCurrentPosition()).thenReturn(OptionalLong.of(43));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void behindWithoutProgressForAMinuteIsStuck() {
        when(segment.isCaughtUp()).thenReturn(false);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        now = now.plusSeconds(61);
        var result = health.health();
        assertThat(result.getStatus()).isEqualTo(Status.DOWN);
        assertThat(result.getDetails().get("ProvisioningSagaProcessor").toString()).contains("stuck at position 42");
    }
}

package io.cyroid.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cyroid.api.ConflictException;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;

/** The replay's order of work and its refusals, on mocks: states a real processor passes through too quickly. */
class ProjectionAdminTest {

    final EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    final TrackingEventProcessor processor = mock(TrackingEventProcessor.class);
    final ProjectionAdmin admin = new ProjectionAdmin(processing, mock(EventStore.class));

    ProjectionAdminTest() {
        when(processing.eventProcessor("p")).thenReturn(Optional.<EventProcessor>of(processor));
        when(processor.getName()).thenReturn("p");
        when(processor.supportsReset()).thenReturn(true);
        when(processor.processingStatus()).thenReturn(Map.of());
    }

    @Test
    void aReplayStopsResetsAndStartsAndCountsAsRunningUntilASegmentIsClaimed() {
        when(processor.isRunning()).thenReturn(true);

        assertThat(admin.replay("p", "admin").replaying()).isTrue();

        var order = inOrder(processor);
        order.verify(processor).shutDown();
        order.verify(processor).resetTokens();
        order.verify(processor).start();
        assertThatThrownBy(() -> admin.replay("p", "admin")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("runs already");
    }

    @Test
    void aRunningReplayIsNotStartedAgain() {
        when(processor.isReplaying()).thenReturn(true);

        assertThatThrownBy(() -> admin.replay("p", "admin")).isInstanceOf(ConflictException.class);
        verify(processor, never()).shutDown();
    }

    @Test
    void aProcessorThatCannotBeResetIsRefusedAndLeftAlone() {
        when(processor.supportsReset()).thenReturn(false);

        assertThatThrownBy(() -> admin.replay("p", "admin")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("saga");
        verify(processor, never()).shutDown();
    }

    @Test
    void aResetThatFailsStillStartsTheProcessorAgain() {
        doThrow(new UnableToClaimTokenException("held by node-2")).when(processor).resetTokens();

        assertThatThrownBy(() -> admin.replay("p", "admin")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("another server");
        verify(processor).start();
        assertThat(admin.get("p").replaying()).isFalse();
    }
}

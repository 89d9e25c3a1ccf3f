package io.cyroid.provisioning;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeRequested;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The saga's snapshots: read from RangeRequested once per range, one copy for equal snapshots. */
class EventStoreRangeBlueprintsTest {

    final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    final EventStore events = spy(store);

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    @Test
    void aRangesSnapshotIsReadOnceFromItsRangeRequested() {
        request("r-1", CORP_LAN);
        EventStoreRangeBlueprints blueprints = new EventStoreRangeBlueprints(events, 8);

        assertThat(blueprints.of("r-1")).isEqualTo(CORP_LAN);
        assertThat(blueprints.of("r-1")).isEqualTo(CORP_LAN);

        verify(events, times(1)).readEvents("r-1", 0);
    }

    @Test
    void rangesOfOneBlueprintVersionShareOneSnapshot() {
        // equal but distinct objects, as two deserialized RangeRequested events are
        request("r-1", copyOf(CORP_LAN));
        request("r-2", copyOf(CORP_LAN));
        EventStoreRangeBlueprints blueprints = new EventStoreRangeBlueprints(events, 8);

        assertThat(blueprints.of("r-1")).isSameAs(blueprints.of("r-2"));
    }

    @Test
    void theCacheIsBounded() {
        request("r-1", CORP_LAN);
        request("r-2", CORP_LAN);
        EventStoreRangeBlueprints blueprints = new EventStoreRangeBlueprints(events, 1);

        blueprints.of("r-1");
        blueprints.of("r-2"); // pushes r-1 out
        blueprints.of("r-1");

        verify(events, times(2)).readEvents("r-1", 0);
    }

    @Test
    void aRangeWithoutRangeRequestedIsAnError() {
        store.publish(new GenericDomainEventMessage<>("RangeAggregate", "r-9", 0, new RangeDeployed("r-9")));
        EventStoreRangeBlueprints blueprints = new EventStoreRangeBlueprints(events, 8);

        assertThatThrownBy(() -> blueprints.of("r-9")).hasMessageContaining("r-9");
        assertThatThrownBy(() -> blueprints.of("unknown")).hasMessageContaining("unknown");
    }

    private void request(String rangeId, Blueprint blueprint) {
        store.publish(new GenericDomainEventMessage<>("RangeAggregate", rangeId, 0,
                new RangeRequested(rangeId, "monday", "bp-1", blueprint, "alice", 1)));
    }

    private static Blueprint copyOf(Blueprint blueprint) {
        Blueprint copy = BlueprintParser.fromJson(BlueprintParser.toJson(blueprint));
        assertThat(copy).isEqualTo(blueprint).isNotSameAs(blueprint);
        return copy;
    }
}

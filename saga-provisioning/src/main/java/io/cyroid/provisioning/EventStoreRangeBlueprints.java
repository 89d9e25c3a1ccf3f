package io.cyroid.provisioning;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.messages.RangeRequested;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * Reads a range's snapshot from its first event, RangeRequested, once: ranges are kept in a small LRU cache, and
 * ranges requested from the same blueprint version share one snapshot object (equal snapshots are kept once), so
 * a hundred ranges of one blueprint hold one copy in memory and none in the saga store.
 */
class EventStoreRangeBlueprints implements RangeBlueprints {

    private final EventStore events;
    private final Map<String, Blueprint> byRange;
    private final Map<Blueprint, Blueprint> shared;

    EventStoreRangeBlueprints(EventStore events, int capacity) {
        this.events = events;
        this.byRange = lru(capacity);
        this.shared = lru(capacity);
    }

    @Override
    public Blueprint of(String rangeId) {
        synchronized (this) {
            Blueprint known = byRange.get(rangeId);
            if (known != null) {
                return known;
            }
        }
        Blueprint read = requested(rangeId).blueprint(); // outside the lock: other ranges need not wait for it
        synchronized (this) {
            Blueprint one = shared.computeIfAbsent(read, snapshot -> snapshot);
            byRange.put(rangeId, one);
            return one;
        }
    }

    private RangeRequested requested(String rangeId) {
        DomainEventStream stream = events.readEvents(rangeId, 0);
        if (stream.hasNext()) {
            DomainEventMessage<?> first = stream.next();
            if (first.getPayload() instanceof RangeRequested requested && requested.blueprint() != null) {
                return requested;
            }
        }
        throw new IllegalStateException("range " + rangeId + " has no RangeRequested with a blueprint");
    }

    private static <K, V> Map<K, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}

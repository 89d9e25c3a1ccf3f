package io.cyroid.provisioning.reconcile;

import io.cyroid.messages.ListRanges;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/** The read model (where to look) through the query bus; each range's facts from its events in the event store. */
public class AxonRangeRecords implements RangeRecords {

    private final QueryGateway queries;
    private final EventStore events;

    public AxonRangeRecords(QueryGateway queries, EventStore events) {
        this.queries = queries;
        this.events = events;
    }

    @Override
    public List<String> liveRanges() {
        try {
            return queries.query(new ListRanges(), ResponseTypes.multipleInstancesOf(RangeView.class))
                    .get(30, TimeUnit.SECONDS).stream()
                    .filter(r -> r.status() == RangeStatus.DEPLOYED || r.status() == RangeStatus.DEGRADED)
                    .map(RangeView::rangeId).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing ranges", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the range read model did not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public RangeFacts facts(String rangeId) {
        List<Object> payloads = new ArrayList<>();
        DomainEventStream stream = events.readEvents(rangeId);
        while (stream.hasNext()) {
            payloads.add(stream.next().getPayload());
        }
        return RangeFacts.of(rangeId, payloads);
    }
}

package io.cyroid.api.range;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cyroid.messages.DinDCreated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RangeView;
import io.cyroid.rangeview.RangeReplay;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

/** A range's events straight from the event store: what operators and auditors read, never a projection. */
@Component
public class RangeHistory {

    private final EventStore eventStore;
    private final ObjectMapper json;

    public RangeHistory(EventStore eventStore, ObjectMapper json) {
        this.eventStore = eventStore;
        this.json = json;
    }

    public record Entry(long sequence, String type, Instant timestamp, String user, String correlationId,
                        String traceId, JsonNode payload) {
    }

    /**
     * Blocking. The range right after its event number {@code sequence}, through the range projection's own
     * handlers ({@link RangeReplay}); empty when the range has no such event.
     */
    public Optional<RangeView> at(String rangeId, long sequence) {
        return RangeReplay.at(rangeId, eventStore.readEvents(rangeId), sequence);
    }

    /** Blocking. The range after each of its events above {@code sequence}, in order ({@link RangeReplay}). */
    public List<RangeView> after(String rangeId, long sequence) {
        return RangeReplay.after(rangeId, eventStore.readEvents(rangeId), sequence);
    }

    /** Blocking. The range's first event, with the blueprint snapshot it was deployed from; empty for no range. */
    public Optional<RangeRequested> requested(String rangeId) {
        DomainEventStream stream = eventStore.readEvents(rangeId);
        return stream.hasNext() && stream.peek().getPayload() instanceof RangeRequested requested
                ? Optional.of(requested) : Optional.empty();
    }

    /** Blocking. */
    public List<Entry> of(String rangeId) {
        List<Entry> entries = new ArrayList<>();
        DomainEventStream stream = eventStore.readEvents(rangeId);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            entries.add(new Entry(event.getSequenceNumber(), event.getPayloadType().getSimpleName(),
                    event.getTimestamp(), (String) event.getMetaData().get("user"),
                    (String) event.getMetaData().get("correlationId"), (String) event.getMetaData().get("traceId"),
                    payload(event.getPayload())));
        }
        return entries;
    }

    /**
     * The event as it is now. DinDCreated's {@code dockerHost} became {@code engine} (revision 2); clients of this
     * endpoint read {@code dockerHost}, so it stays beside {@code engine}.
     */
    private JsonNode payload(Object event) {
        JsonNode payload = json.valueToTree(event);
        if (event instanceof DinDCreated dind && payload instanceof ObjectNode fields) {
            fields.put("dockerHost", dind.engine());
        }
        return payload;
    }
}

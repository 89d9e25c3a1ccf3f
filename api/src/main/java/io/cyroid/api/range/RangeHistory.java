package io.cyroid.api.range;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cyroid.messages.DinDCreated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

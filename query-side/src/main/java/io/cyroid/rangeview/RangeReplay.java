package io.cyroid.rangeview;

import io.cyroid.messages.RangeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;

/**
 * A range as it was right after one of its events: its events, up to that one, go through the very handlers of
 * {@link RangeProjection}, as the event processor delivers them, into a map instead of the read store. There is no
 * second copy of the projection's logic to drift from the live read model.
 */
public final class RangeReplay {

    private RangeReplay() {
    }

    /**
     * The range after its event number {@code sequence}; empty when the range's stream has no such event (or no
     * RangeRequested). {@code events}: the range's own events in order, as the event store returns them.
     */
    public static Optional<RangeView> at(String rangeId, Iterator<? extends DomainEventMessage<?>> events,
                                         long sequence) {
        List<RangeView> states = replay(rangeId, events, sequence - 1, sequence);
        return states.isEmpty() ? Optional.empty() : Optional.of(states.get(0));
    }

    /**
     * The range after each of its events numbered above {@code after}, in order: every state a follower of the
     * range missed since it saw state {@code after}.
     */
    public static List<RangeView> after(String rangeId, Iterator<? extends DomainEventMessage<?>> events,
                                        long after) {
        return replay(rangeId, events, after, Long.MAX_VALUE);
    }

    private static List<RangeView> replay(String rangeId, Iterator<? extends DomainEventMessage<?>> events,
                                          long after, long upTo) {
        InMemory documents = new InMemory();
        AnnotationEventHandlerAdapter projection = new AnnotationEventHandlerAdapter(new RangeProjection(documents));
        List<RangeView> states = new ArrayList<>();
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            if (event.getSequenceNumber() > upTo) {
                break;
            }
            try {
                projection.handle(event);
            } catch (Exception e) {
                throw new IllegalStateException("replaying event " + event.getSequenceNumber() + " of range "
                        + rangeId + " failed", e);
            }
            RangeDocument range = documents.find(rangeId);
            if (event.getSequenceNumber() > after && range != null) {
                states.add(RangeViewMapper.INSTANCE.toView(range));
            }
        }
        return states;
    }

    private static final class InMemory implements RangeDocuments {
        private final Map<String, RangeDocument> documents = new HashMap<>();

        @Override
        public RangeDocument find(String rangeId) {
            return documents.get(rangeId);
        }

        @Override
        public void save(RangeDocument range) {
            documents.put(range.rangeId, range);
        }

        @Override
        public void clear() {
            documents.clear();
        }
    }
}

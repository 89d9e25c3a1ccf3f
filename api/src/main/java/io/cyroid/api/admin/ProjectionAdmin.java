package io.cyroid.api.admin;

import io.cyroid.api.ConflictException;
import io.cyroid.api.NotFoundException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The event processors as an operator sees them, and the replay of one: stop it, reset its tokens to the start of
 * the event store (its @ResetHandlers clear their read model), start it again. Blocking throughout (the token store
 * and the event store are JDBC): callers on a WebFlux thread go through {@link io.cyroid.api.Blocking}.
 */
@Component
public class ProjectionAdmin {

    private static final Logger log = LoggerFactory.getLogger(ProjectionAdmin.class);

    private final EventProcessingConfiguration processing;
    private final EventStore events;
    /** Replays between their request and the moment they are started: a second request for one of them is refused. */
    private final Set<String> resetting = ConcurrentHashMap.newKeySet();
    /**
     * Replays started whose processor has not yet claimed a segment: until it has, Axon reports no status and hence
     * no replay, and a second replay or a caller waiting for the end of this one must not take that for "done".
     */
    private final Set<String> starting = ConcurrentHashMap.newKeySet();

    public ProjectionAdmin(EventProcessingConfiguration processing, EventStore events) {
        this.processing = processing;
        this.events = events;
    }

    /**
     * One event processor. {@code position} is the global index its token has reached (the lowest over its segments),
     * {@code head} the event store's last global index, {@code lag} their difference (counts gaps in the index too);
     * any of them null when not known (no token yet, an empty store, a processor without tokens).
     */
    public record Projection(String name, String state, boolean replaying, Long position, Long head, Long lag,
                             int segments, boolean resettable) {
    }

    public List<Projection> list() {
        Long head = head();
        return processing.eventProcessors().values().stream()
                .sorted(Comparator.comparing(EventProcessor::getName))
                .map(processor -> describe(processor, head)).toList();
    }

    public Projection get(String name) {
        return describe(processor(name), head());
    }

    /** Starts the replay and returns at once, with the processor as it is then (replaying, usually). */
    public Projection replay(String name, String user) {
        EventProcessor processor = processor(name);
        if (!(processor instanceof StreamingEventProcessor streaming) || !streaming.supportsReset()) {
            throw new ConflictException(name + " cannot be replayed: " + (processor instanceof StreamingEventProcessor
                    ? "its handlers do not support a reset (a saga would run its side effects, engine work and"
                    + " commands, again)" : "it has no tokens to reset (it handles events as they are published)"));
        }
        if (!resetting.add(name)) {
            throw new ConflictException("a replay of " + name + " is being started already");
        }
        try {
            if (replaying(name, streaming)) {
                throw new ConflictException("a replay of " + name + " runs already; wait until it has caught up");
            }
            log.info("replay of {} requested by {}", name, user);
            streaming.shutDown();
            try {
                streaming.resetTokens();
                starting.add(name);
            } catch (UnableToClaimTokenException e) {
                throw new ConflictException(name + " cannot be reset while another server processes one of its"
                        + " segments: " + e.getMessage());
            } finally {
                // whether the reset worked or not, the processor goes on: live updates must never stop here
                streaming.start();
            }
        } finally {
            resetting.remove(name);
        }
        return get(name);
    }

    private EventProcessor processor(String name) {
        return processing.eventProcessor(name).orElseThrow(() -> new NotFoundException("no event processor "
                + name));
    }

    private Projection describe(EventProcessor processor, Long head) {
        String name = processor.getName();
        String state = processor.isError() ? "error" : processor.isRunning() ? "running" : "stopped";
        if (!(processor instanceof StreamingEventProcessor streaming)) {
            return new Projection(name, state, false, null, head, null, 0, false);
        }
        Map<Integer, EventTrackerStatus> status = streaming.processingStatus();
        Long position = status.values().stream().map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent).map(OptionalLong::getAsLong).min(Long::compare).orElse(null);
        // a segment without a position has processed nothing: the lowest position is then unknown
        if (status.values().stream().anyMatch(s -> s.getCurrentPosition().isEmpty())) {
            position = null;
        }
        Long lag = position == null || head == null ? null : Math.max(0, head - position);
        boolean replaying = resetting.contains(name) || replaying(name, streaming);
        return new Projection(name, state, replaying, position, head, lag, status.size(), streaming.supportsReset());
    }

    private boolean replaying(String name, StreamingEventProcessor processor) {
        if (starting.contains(name)) {
            if (processor.processingStatus().isEmpty()) {
                return processor.isRunning() && !processor.isError();
            }
            starting.remove(name);
        }
        return processor.isReplaying();
    }

    private Long head() {
        TrackingToken token = events.createHeadToken();
        if (token == null) {
            return null;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : null;
    }
}

package io.cyroid.provisioning;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An error that escapes a saga handler (the database briefly away, say) is retried by the processor with back-off,
 * a few times; then the event is skipped and logged, and health reports it. Retrying without limit stalled every
 * range of the segment behind one bad event. The saga does no engine work in its handlers any more, so what escapes
 * is rare; and a range whose event was skipped still has its persisted deadlines.
 */
public class BoundedRetryErrorHandler implements ListenerInvocationErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(BoundedRetryErrorHandler.class);

    private final int attempts;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private volatile Skipped lastSkipped;

    public BoundedRetryErrorHandler(int attempts) {
        this.attempts = attempts;
    }

    /** The last event given up on, for health. */
    public record Skipped(String eventType, String eventId, String error, Instant at) {
    }

    @Override
    public void onError(Exception exception, EventMessage<?> event, EventMessageHandler handler) throws Exception {
        int failed = failures.merge(event.getIdentifier(), 1, Integer::sum);
        if (failed < attempts) {
            log.warn("{} failed in {} (attempt {} of {}), retried: {}", event.getPayloadType().getSimpleName(),
                    handler.getTargetType().getSimpleName(), failed, attempts, exception.toString());
            throw exception;
        }
        failures.remove(event.getIdentifier());
        lastSkipped = new Skipped(event.getPayloadType().getSimpleName(), event.getIdentifier(),
                exception.toString(), Instant.now());
        log.error("{} {} skipped by {} after {} attempts", event.getPayloadType().getSimpleName(),
                event.getIdentifier(), handler.getTargetType().getSimpleName(), attempts, exception);
    }

    public Skipped lastSkipped() {
        return lastSkipped;
    }
}

package io.cyroid.audit;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One line of the audit log: an event that was recorded, or a request that was refused before it could record
 * anything. Its own collection, never the range's: destroying a range, or rebuilding the range read model, leaves
 * it alone.
 *
 * @param id            the event's identifier (so a re-delivered event overwrites itself), or a random id for a request
 * @param kind          {@link #EVENT} (rebuildable from the event store) or {@link #REQUEST} (exists only here)
 * @param action        the event's type, or the request's method and path ({@code POST /api/v1/ranges})
 * @param outcome       {@link #OK}, {@link #REFUSED} (a 4xx answer) or {@link #FAILED} (a failure event, a 5xx)
 * @param status        the HTTP status of a refused request; none for events
 * @param correlationId the caller's X-Correlation-Id (stored as {@code requestId} in the events' metadata)
 * @param sequence      of a range's (or other aggregate's) event: its number in that stream, as /events shows it
 * @param traceId       of an event: the message that started its chain, shared by every event of one request
 * @param client        the caller's address, when it is known
 * @param detail        a failure's reason, or what a removal left behind
 */
@Document(AuditEntry.COLLECTION)
public record AuditEntry(@Id String id, String kind, @Indexed Instant at, @Indexed String user, String action,
                         @Indexed String rangeId, String blueprintId, Long sequence, String outcome,
                         Integer status, String correlationId, String traceId, String client, String detail) {

    public static final String COLLECTION = "audit";
    public static final String EVENT = "EVENT";
    public static final String REQUEST = "REQUEST";
    public static final String OK = "OK";
    public static final String REFUSED = "REFUSED";
    public static final String FAILED = "FAILED";
}

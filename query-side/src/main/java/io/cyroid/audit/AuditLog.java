package io.cyroid.audit;

import java.util.List;
import java.util.stream.Stream;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Reads the audit log, and appends the entries that no event stands for (refused requests). Blocking: callers on
 * a WebFlux thread go through bounded-elastic. There is deliberately no update or delete here.
 */
@Component
public class AuditLog {

    /**
     * Newest first. Events of one command share a millisecond: their sequence keeps them in order; the id breaks the
     * remaining ties, so pages do not overlap.
     */
    static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("at"), Sort.Order.desc("sequence"),
            Sort.Order.desc("_id"));

    private final MongoTemplate mongo;

    public AuditLog(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    public void append(AuditEntry entry) {
        mongo.insert(entry);
    }

    public long count(AuditFilter filter) {
        return mongo.count(filter.toQuery(), AuditEntry.class);
    }

    public List<AuditEntry> page(AuditFilter filter, int page, int size) {
        Query query = filter.toQuery().with(NEWEST_FIRST).skip((long) page * size).limit(size);
        return mongo.find(query, AuditEntry.class);
    }

    /** Every matching entry, newest first, read lazily: close the stream. */
    public Stream<AuditEntry> all(AuditFilter filter) {
        return mongo.stream(filter.toQuery().with(NEWEST_FIRST), AuditEntry.class);
    }
}

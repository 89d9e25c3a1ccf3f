package io.cyroid.audit;

import java.time.Instant;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/** What an auditor narrows the log to; every part is optional. {@code from} is inclusive, {@code to} exclusive. */
public record AuditFilter(String user, String rangeId, String blueprintId, String action, String outcome,
                          Instant from, Instant to) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null, null);

    Query toQuery() {
        Criteria criteria = new Criteria();
        equal(criteria, "user", user);
        equal(criteria, "rangeId", rangeId);
        equal(criteria, "blueprintId", blueprintId);
        equal(criteria, "action", action);
        equal(criteria, "outcome", outcome);
        if (from != null || to != null) {
            Criteria at = criteria.and("at");
            if (from != null) {
                at.gte(from);
            }
            if (to != null) {
                at.lt(to);
            }
        }
        return Query.query(criteria);
    }

    private static void equal(Criteria criteria, String field, String value) {
        if (value != null && !value.isBlank()) {
            criteria.and(field).is(value);
        }
    }
}

package io.cyroid.audit;

import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * One audit entry per event of any type, in a processing group of its own so that it can be replayed without the
 * range read model. Keyed by the event's identifier: a re-delivered event writes the same entry again.
 */
@Component
@ProcessingGroup(AuditProjection.PROCESSING_GROUP)
public class AuditProjection {

    public static final String PROCESSING_GROUP = "audit-log";
    /** rangeId to blueprintId, from each RangeRequested: later range events name only the range. */
    static final String RANGE_BLUEPRINTS = "audit_range_blueprints";

    private final MongoTemplate mongo;

    public AuditProjection(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    record RangeBlueprint(String id, String blueprintId) {
    }

    @EventHandler
    void on(Object payload, EventMessage<?> event) {
        Map<String, String> fields = EventFields.of(payload);
        String type = event.getPayloadType().getSimpleName();
        String rangeId = fields.getOrDefault("rangeId", aggregateId(event, "Range"));
        String blueprintId = fields.get("blueprintId");
        if (blueprintId == null && type.startsWith("Blueprint")) {
            blueprintId = fields.getOrDefault("id", aggregateId(event, "Blueprint"));
        }
        if (rangeId != null && blueprintId != null) {
            mongo.save(new RangeBlueprint(rangeId, blueprintId), RANGE_BLUEPRINTS);
        } else if (rangeId != null) {
            RangeBlueprint known = mongo.findById(rangeId, RangeBlueprint.class, RANGE_BLUEPRINTS);
            blueprintId = known == null ? null : known.blueprintId();
        }
        String detail = detail(fields);
        mongo.save(new AuditEntry(event.getIdentifier(), AuditEntry.EVENT, event.getTimestamp(),
                text(event, "user"), type, rangeId, blueprintId,
                event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null,
                type.endsWith("Failed") ? AuditEntry.FAILED : AuditEntry.OK, null,
                text(event, "requestId"), text(event, "traceId"), text(event, "client"), detail));
    }

    /** What an auditor reads beside the action: the reason, the leftovers, a note; for a console, which and how long. */
    private static String detail(Map<String, String> fields) {
        String detail = fields.getOrDefault("reason", fields.get("leftovers") == null ? fields.get("note")
                : "leftovers: " + fields.get("leftovers"));
        if (fields.containsKey("vmName") && fields.containsKey("kind")) {
            String console = fields.get("kind") + " console on VM " + fields.get("vmName")
                    + (fields.containsKey("seconds") ? " after " + fields.get("seconds") + " s" : "");
            return detail == null ? console : console + ": " + detail;
        }
        return detail;
    }

    /** Only the entries that the events rebuild: refused requests exist nowhere else and stay. */
    @ResetHandler
    void reset() {
        mongo.remove(Query.query(Criteria.where("kind").is(AuditEntry.EVENT)), AuditEntry.class);
        mongo.dropCollection(RANGE_BLUEPRINTS);
    }

    /** The aggregate's id when the event comes from an aggregate of that kind (for events that do not name it). */
    private static String aggregateId(EventMessage<?> event, String kind) {
        return event instanceof DomainEventMessage<?> domain && domain.getType() != null
                && domain.getType().contains(kind) ? domain.getAggregateIdentifier() : null;
    }

    private static String text(EventMessage<?> event, String key) {
        Object value = event.getMetaData().get(key);
        return value == null ? null : value.toString();
    }
}

package io.cyroid.blueprintview;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.messages.BlueprintRegistered;
import io.cyroid.messages.BlueprintRetired;
import io.cyroid.messages.BlueprintRevised;
import io.cyroid.messages.BlueprintVersionView;
import io.cyroid.messages.BlueprintView;
import io.cyroid.messages.FindBlueprint;
import io.cyroid.messages.FindBlueprintByName;
import io.cyroid.messages.ListBlueprintVersions;
import io.cyroid.messages.ListBlueprints;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Builds the blueprint read model (current version, and every version) from the Blueprint aggregate's events, and
 * answers queries over it. A tracking processor of its own: a reset drops both collections and a replay of the event
 * store rebuilds them, since the events are the record now. Like the range projection, each document remembers the
 * sequence number of the last event applied and ignores any event at or below it (the read store has no transaction
 * with the token store, so an event may come twice).
 */
@Component
@ProcessingGroup(BlueprintProjection.PROCESSING_GROUP)
public class BlueprintProjection {

    public static final String PROCESSING_GROUP = "blueprint-projection";

    private final MongoTemplate mongo;
    private final QueryUpdateEmitter updates;

    public BlueprintProjection(MongoTemplate mongo, QueryUpdateEmitter updates) {
        this.mongo = mongo;
        this.updates = updates;
    }

    @EventHandler
    void on(BlueprintRegistered event, @Timestamp Instant at, @SequenceNumber long sequence) {
        // a blueprint carried over from the old read store shows its original author and date
        boolean legacy = event.legacyOrigin() != null;
        String by = legacy && event.legacyOrigin().createdBy() != null ? event.legacyOrigin().createdBy()
                : event.registeredBy();
        Instant when = legacy && event.legacyOrigin().createdAt() != null ? event.legacyOrigin().createdAt() : at;
        saveVersion(event.blueprintId(), event.version(), event.blueprint(), by, when);
        BlueprintDocument document = mongo.findById(event.blueprintId(), BlueprintDocument.class);
        if (document != null) {
            return; // re-delivered: the document may already be further along
        }
        document = new BlueprintDocument();
        document.id = event.blueprintId();
        document.createdBy = by;
        document.createdAt = when;
        document.sequence = sequence;
        setVersion(document, event.version(), event.blueprint());
        save(document);
    }

    @EventHandler
    void on(BlueprintRevised event, @Timestamp Instant at, @SequenceNumber long sequence) {
        saveVersion(event.blueprintId(), event.version(), event.blueprint(), event.revisedBy(), at);
        update(event.blueprintId(), sequence, document -> {
            setVersion(document, event.version(), event.blueprint());
            document.revisedBy = event.revisedBy();
            document.revisedAt = at;
        });
    }

    @EventHandler
    void on(BlueprintRetired event, @Timestamp Instant at, @SequenceNumber long sequence) {
        update(event.blueprintId(), sequence, document -> {
            document.retired = true;
            document.retiredBy = event.retiredBy();
            document.retiredAt = at;
        });
    }

    @ResetHandler
    void reset() {
        mongo.dropCollection(BlueprintDocument.class);
        mongo.dropCollection(BlueprintVersionDocument.class);
    }

    @QueryHandler
    public BlueprintView handle(FindBlueprint query) {
        BlueprintDocument document = mongo.findById(query.blueprintId(), BlueprintDocument.class);
        return document == null ? null : toView(document);
    }

    @QueryHandler
    public BlueprintView handle(FindBlueprintByName query) {
        BlueprintDocument document = mongo.findOne(Query.query(Criteria.where("name").is(query.name())),
                BlueprintDocument.class);
        return document == null ? null : toView(document);
    }

    @QueryHandler
    public List<BlueprintView> handle(ListBlueprints query) {
        Query select = query.includeRetired() ? new Query() : Query.query(Criteria.where("retired").ne(true));
        return mongo.find(select.with(Sort.by("name", "_id")), BlueprintDocument.class).stream()
                .map(BlueprintProjection::toView).toList();
    }

    @QueryHandler
    public List<BlueprintVersionView> handle(ListBlueprintVersions query) {
        return mongo.find(Query.query(Criteria.where("blueprintId").is(query.blueprintId()))
                                .with(Sort.by("version")), BlueprintVersionDocument.class).stream()
                .map(v -> new BlueprintVersionView(v.version, BlueprintParser.fromJson(v.json), v.by, v.at))
                .toList();
    }

    private static void setVersion(BlueprintDocument document, int version, Blueprint blueprint) {
        document.version = version;
        document.name = blueprint.name();
        document.json = BlueprintParser.toJson(blueprint);
    }

    private void saveVersion(String blueprintId, int version, Blueprint blueprint, String by, Instant at) {
        BlueprintVersionDocument document = new BlueprintVersionDocument();
        document.id = BlueprintVersionDocument.idOf(blueprintId, version);
        document.blueprintId = blueprintId;
        document.version = version;
        document.json = BlueprintParser.toJson(blueprint);
        document.by = by;
        document.at = at;
        mongo.save(document);
    }

    private void update(String blueprintId, long sequence, Consumer<BlueprintDocument> change) {
        BlueprintDocument document = mongo.findById(blueprintId, BlueprintDocument.class);
        if (document == null || sequence <= document.sequence) {
            return; // not registered in this read model (a reset mid-way: the replay rebuilds it), or applied already
        }
        change.accept(document);
        document.sequence = sequence;
        save(document);
    }

    private void save(BlueprintDocument document) {
        mongo.save(document);
        BlueprintView view = toView(document);
        updates.emit(FindBlueprint.class, query -> query.blueprintId().equals(document.id), view);
    }

    static BlueprintView toView(BlueprintDocument d) {
        return new BlueprintView(d.id, d.name, d.version, d.createdBy, d.createdAt, d.revisedBy, d.revisedAt,
                d.retired, d.retiredBy, d.retiredAt, BlueprintParser.fromJson(d.json), d.sequence);
    }
}

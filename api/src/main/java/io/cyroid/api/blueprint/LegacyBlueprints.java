package io.cyroid.api.blueprint;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.messages.LegacyOrigin;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Carries the blueprints that the read store held before blueprints were event-sourced (collection
 * {@code blueprints}) into the event store, at every start, each once: a blueprint whose id has events already is
 * skipped, so a restart, or a crash half-way, registers nothing twice. Each is registered by "system" under its own
 * id, so ranges that name it still find it, with its original author and date ({@link LegacyOrigin}). The old
 * collection is left as it was (a backup; operations.md says when it may go).
 */
@Component
@Order(LegacyBlueprints.ORDER)
public class LegacyBlueprints implements ApplicationRunner {

    static final int ORDER = 0;
    private static final Logger log = LoggerFactory.getLogger(LegacyBlueprints.class);

    private final MongoTemplate mongo;
    private final EventStore events;
    private final BlueprintStore store;

    public LegacyBlueprints(MongoTemplate mongo, EventStore events, BlueprintStore store) {
        this.mongo = mongo;
        this.events = events;
        this.store = store;
    }

    @Override
    public void run(ApplicationArguments args) {
        int carried = 0;
        for (LegacyBlueprintDocument old : mongo.findAll(LegacyBlueprintDocument.class)) {
            if (events.lastSequenceNumberFor(old.id).isPresent()) {
                continue; // carried over already
            }
            Blueprint blueprint;
            try {
                blueprint = BlueprintParser.fromJson(old.json);
            } catch (RuntimeException e) {
                // left in the old collection, where an operator can still read it
                log.error("blueprint {} ({}) of the old read store cannot be read and was not carried over: {}",
                        old.id, old.name, e.getMessage());
                continue;
            }
            store.registerLegacy(old.id, blueprint, new LegacyOrigin(old.createdBy, old.createdAt));
            carried++;
            log.info("blueprint {} ({}) carried over from the old read store into the event store", old.id,
                    old.name);
        }
        if (carried > 0) {
            log.info("{} blueprint(s) carried over from the old read store (collection {})", carried,
                    LegacyBlueprintDocument.COLLECTION);
        }
    }
}

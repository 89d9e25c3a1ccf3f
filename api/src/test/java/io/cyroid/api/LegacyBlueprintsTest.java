package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.api.blueprint.BlueprintStore.StoredBlueprint;
import io.cyroid.api.blueprint.LegacyBlueprintDocument;
import io.cyroid.api.blueprint.LegacyBlueprints;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.messages.BlueprintRegistered;
import io.cyroid.messages.BlueprintVersionView;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Blueprints that the read store held before blueprints were event-sourced are carried into the event store at
 * start, once, keeping their ids, names and authors. The runner runs at every start; here it is run again by hand
 * after an old document is put in place, as a server upgraded over an old read store would find it.
 */
class LegacyBlueprintsTest extends WithoutEngine {

    @Autowired
    MongoTemplate mongo;
    @Autowired
    LegacyBlueprints legacy;
    @Autowired
    EventStore events;

    @Test
    void anOldBlueprintIsCarriedOverOnceUnderItsIdWithItsAuthor() {
        Instant longAgo = Instant.parse("2024-06-01T12:00:00Z");
        LegacyBlueprintDocument old = new LegacyBlueprintDocument();
        old.id = "bp-of-before";
        old.name = "of-before";
        old.json = BlueprintParser.toJson(BlueprintParser.fromYaml(sampleYaml("of-before")));
        old.createdBy = "alice";
        old.createdAt = longAgo;
        mongo.insert(old);

        legacy.run(null);
        legacy.run(null); // a restart: nothing twice

        StoredBlueprint carried = api.get().uri("/api/v1/blueprints/{id}", old.id).exchange()
                .expectStatus().isOk().expectBody(StoredBlueprint.class).returnResult().getResponseBody();
        assertThat(carried.name()).isEqualTo("of-before");
        assertThat(carried.createdBy()).isEqualTo("alice");
        assertThat(carried.createdAt()).isEqualTo(longAgo);
        assertThat(carried.version()).isEqualTo(1);
        assertThat(carried.blueprint()).isEqualTo(BlueprintParser.fromYaml(sampleYaml("of-before")));

        List<? extends DomainEventMessage<?>> recorded = events.readEvents(old.id).asStream().toList();
        assertThat(recorded).singleElement().satisfies(event -> {
            assertThat(event.getMetaData()).containsEntry("user", "system");
            BlueprintRegistered registered = (BlueprintRegistered) event.getPayload();
            assertThat(registered.registeredBy()).isEqualTo("system");
            assertThat(registered.legacyOrigin().createdBy()).isEqualTo("alice");
        });
        assertThat(api.get().uri("/api/v1/blueprints/{id}/versions", old.id).exchange().expectStatus().isOk()
                .expectBodyList(BlueprintVersionView.class).returnResult().getResponseBody())
                .extracting(BlueprintVersionView::version, BlueprintVersionView::by)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "alice"));

        // its name is taken, as it was
        api.post().uri("/api/v1/blueprints").contentType(org.springframework.http.MediaType.parseMediaType(
                "application/yaml")).bodyValue(sampleYaml("of-before")).exchange().expectStatus().isEqualTo(409);
    }
}

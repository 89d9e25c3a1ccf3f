package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.api.blueprint.BlueprintStore.StoredBlueprint;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.messages.BlueprintRegistered;
import io.cyroid.messages.BlueprintRetired;
import io.cyroid.messages.BlueprintRevised;
import io.cyroid.messages.BlueprintVersionView;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Revising (PUT), retiring (DELETE) and the versions of a blueprint, over HTTP, without any engine. */
class BlueprintRevisionApiTest extends WithoutEngine {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @Autowired
    EventStore events;

    WebTestClient.ResponseSpec put(String id, MediaType type, String body) {
        return api.put().uri("/api/v1/blueprints/{id}", id).contentType(type).bodyValue(body).exchange();
    }

    StoredBlueprint get(String id) {
        return api.get().uri("/api/v1/blueprints/{id}", id).exchange().expectStatus().isOk()
                .expectBody(StoredBlueprint.class).returnResult().getResponseBody();
    }

    List<StoredBlueprint> list(String query) {
        return api.get().uri("/api/v1/blueprints" + query).exchange().expectStatus().isOk()
                .expectBodyList(StoredBlueprint.class).returnResult().getResponseBody();
    }

    List<BlueprintVersionView> versions(String id) {
        return api.get().uri("/api/v1/blueprints/{id}/versions", id).exchange().expectStatus().isOk()
                .expectBodyList(BlueprintVersionView.class).returnResult().getResponseBody();
    }

    List<String> eventTypes(String id) {
        return events.readEvents(id).asStream().map(event -> event.getPayloadType().getSimpleName()).toList();
    }

    @Test
    void aRevisionIsANewVersionAndEveryVersionStaysReadable() {
        Instant before = Instant.now();
        String id = register(sampleYaml("revised"));
        String v2 = sampleYaml("revised").replace("ROLE: web", "ROLE: frontend");

        StoredBlueprint revised = put(id, YAML, v2).expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(StoredBlueprint.class).returnResult().getResponseBody();

        assertThat(revised.id()).isEqualTo(id);
        assertThat(revised.version()).isEqualTo(2);
        assertThat(revised.blueprint()).isEqualTo(BlueprintParser.fromYaml(v2));
        assertThat(revised.createdBy()).isEqualTo(USER);
        assertThat(revised.revisedBy()).isEqualTo(USER);
        assertThat(revised.revisedAt()).isAfterOrEqualTo(revised.createdAt());
        assertThat(revised.retired()).isFalse();
        assertThat(get(id)).isEqualTo(revised);

        List<BlueprintVersionView> versions = versions(id);
        assertThat(versions).extracting(BlueprintVersionView::version).containsExactly(1, 2);
        assertThat(versions.get(0).blueprint()).isEqualTo(BlueprintParser.fromYaml(sampleYaml("revised")));
        assertThat(versions.get(1).blueprint()).isEqualTo(BlueprintParser.fromYaml(v2));
        assertThat(versions).extracting(BlueprintVersionView::by).containsOnly(USER);
        assertThat(versions).allSatisfy(v -> assertThat(v.at()).isAfter(before.minusSeconds(1)));
        assertThat(eventTypes(id)).containsExactly("BlueprintRegistered", "BlueprintRevised");
    }

    @Test
    void aRevisionAsJsonMayRenameTheBlueprint() {
        String id = register(sampleYaml("old-name"));
        String json = """
                {"name": "new-name",
                 "networks": [{"name": "lan", "subnet": "192.168.50.0/24", "gateway": "192.168.50.1"}],
                 "vms": [{"name": "box", "image": "cyroid/vm-busybox:latest",
                          "interfaces": [{"network": "lan", "ip": "192.168.50.5"}]}]}
                """;

        put(id, MediaType.APPLICATION_JSON, json).expectStatus().isOk();

        assertThat(get(id).name()).isEqualTo("new-name");
        // the old name is free again
        register(sampleYaml("old-name"));
    }

    @Test
    void theSameBlueprintAgainMakesNoNewVersion() {
        String id = register(sampleYaml("unchanged"));

        StoredBlueprint again = put(id, YAML, sampleYaml("unchanged")).expectStatus().isOk()
                .expectBody(StoredBlueprint.class).returnResult().getResponseBody();

        assertThat(again.version()).isEqualTo(1);
        assertThat(versions(id)).hasSize(1);
    }

    @Test
    void anInvalidRevisionIsRefusedNamingTheFieldAndChangesNothing() {
        String id = register(sampleYaml("badly-revised"));
        StoredBlueprint before = get(id);

        WebTestClient.ResponseSpec response = put(id, YAML, sampleYaml("badly-revised")
                .replace("subnet: 10.0.1.0/24", "subnet: 10.0.1.0/33")).expectStatus().isBadRequest();

        assertThat(errorFields(response)).containsExactly("networks[0].subnet");
        assertThat(get(id)).isEqualTo(before);
        assertThat(versions(id)).hasSize(1);
    }

    @Test
    void anUnreadableRevisionIsRefusedNamingTheField() {
        String id = register(sampleYaml("typo-revised"));

        WebTestClient.ResponseSpec response = put(id, YAML, sampleYaml("typo-revised")
                .replace("subnet: 10.0.1.0/24", "subnett: 10.0.1.0/24")).expectStatus().isBadRequest();

        assertThat(errorFields(response)).containsExactly("networks[0].subnett");
        assertThat(versions(id)).hasSize(1);
    }

    @Test
    void revisingAnUnknownBlueprintIsNotFound() {
        put("no-such-blueprint", YAML, sampleYaml("nowhere")).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("no blueprint no-such-blueprint");
        api.delete().uri("/api/v1/blueprints/{id}", "no-such-blueprint").exchange().expectStatus().isNotFound();
        api.get().uri("/api/v1/blueprints/{id}/versions", "no-such-blueprint").exchange()
                .expectStatus().isNotFound();
        assertThat(list("?includeRetired=true")).extracting(StoredBlueprint::name).doesNotContain("nowhere");
    }

    @Test
    void aRevisionToANameAnotherBlueprintHasIsAConflict() {
        register(sampleYaml("taken"));
        String id = register(sampleYaml("wants-the-name"));

        put(id, YAML, sampleYaml("taken")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("taken"));

        assertThat(get(id).name()).isEqualTo("wants-the-name");
        assertThat(versions(id)).hasSize(1);
    }

    @Test
    void aRetiredBlueprintIsShownButNotListedByDefaultAndCannotBeRevised() {
        String id = register(sampleYaml("retiring"));

        StoredBlueprint retired = api.delete().uri("/api/v1/blueprints/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody(StoredBlueprint.class).returnResult().getResponseBody();

        assertThat(retired.retired()).isTrue();
        assertThat(retired.retiredBy()).isEqualTo(USER);
        assertThat(retired.retiredAt()).isNotNull();
        assertThat(retired.version()).isEqualTo(1);
        assertThat(get(id)).isEqualTo(retired);
        assertThat(list("")).extracting(StoredBlueprint::id).doesNotContain(id);
        assertThat(list("?includeRetired=true")).extracting(StoredBlueprint::id).contains(id);

        put(id, YAML, sampleYaml("retiring").replace("ROLE: web", "ROLE: x")).expectStatus()
                .isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("retired"));
        assertThat(versions(id)).hasSize(1);

        // a retired blueprint keeps its name
        api.post().uri("/api/v1/blueprints").contentType(YAML).bodyValue(sampleYaml("retiring")).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT);

        // retiring again is no error and records nothing
        api.delete().uri("/api/v1/blueprints/{id}", id).exchange().expectStatus().isOk();
        assertThat(eventTypes(id)).containsExactly("BlueprintRegistered", "BlueprintRetired");
    }

    @Test
    void revisingAndRetiringNeedCredentials() {
        String id = register(sampleYaml("guarded"));

        anonymous.put().uri("/api/v1/blueprints/{id}", id).contentType(YAML).bodyValue(sampleYaml("x-guarded"))
                .exchange().expectStatus().isUnauthorized();
        anonymous.delete().uri("/api/v1/blueprints/{id}", id).exchange().expectStatus().isUnauthorized();
        anonymous.get().uri("/api/v1/blueprints/{id}/versions", id).exchange().expectStatus().isUnauthorized();

        assertThat(get(id).retired()).isFalse();
        assertThat(get(id).version()).isEqualTo(1);
    }

    @Test
    void theEventsRecordWhoDidWhat() {
        String id = register(sampleYaml("audited"));
        put(id, YAML, sampleYaml("audited").replace("ROLE: web", "ROLE: w2")).expectStatus().isOk();
        api.delete().uri("/api/v1/blueprints/{id}", id).exchange().expectStatus().isOk();

        List<? extends DomainEventMessage<?>> recorded = events.readEvents(id).asStream().toList();
        assertThat(recorded).hasSize(3).allSatisfy(event -> assertThat(event.getMetaData()).containsEntry("user",
                USER));
        assertThat(recorded).extracting(DomainEventMessage::getPayload).satisfiesExactly(
                registered -> assertThat(((BlueprintRegistered) registered).registeredBy()).isEqualTo(USER),
                revised -> assertThat(((BlueprintRevised) revised).revisedBy()).isEqualTo(USER),
                retired -> assertThat(((BlueprintRetired) retired).retiredBy()).isEqualTo(USER));
    }
}

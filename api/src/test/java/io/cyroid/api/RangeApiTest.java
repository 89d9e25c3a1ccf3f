package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.api.FakeEngines.FakeRangeEngine;
import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.messages.RegisterBlueprint;
import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The range API without a Docker engine: requests refused before anything is recorded, what is not found, what
 * needs credentials, and a whole life (deploy, stream, destroy) with the provisioning saga on the fake engine.
 * {@link RangeLifecycleIT} follows the same life on the real engine.
 */
class RangeApiTest extends WithoutEngine {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    FakeRangeEngine engine;

    /** Events in the event store, of every range: what a refused request must not add to. */
    long storedEvents() {
        return Objects.requireNonNull(jdbc.queryForObject("select count(*) from DomainEventEntry", Long.class));
    }

    /** A refused deploy request names exactly these fields, and neither the event store nor the list changes. */
    void assertRefused(Object request, String... fields) {
        List<RangeView> before = ranges();
        long events = storedEvents();

        WebTestClient.ResponseSpec response = deploy(request).expectStatus().isBadRequest();

        assertThat(errorFields(response)).containsExactly(fields);
        assertThat(storedEvents()).isEqualTo(events);
        assertThat(ranges()).isEqualTo(before);
    }

    @Test
    void aRangeWithoutNameIsRefused() {
        assertRefused(Map.of("blueprintId", "bp-1"), "name");
    }

    @Test
    void aRangeRequestIsAsStrictAsABlueprint() {
        String id = register(sampleYaml("strict-request"));
        // a misspelt field is named, not silently dropped
        assertRefused(Map.of("blueprintId", id, "name", "monday", "nmae", "x"), "nmae");
        assertRefused(Map.of("blueprintId", id, "name", "monday ", "extra", true), "extra");
        assertRefused(Map.of("blueprintId", id, "name", "monday "), "name");
        assertRefused(Map.of("blueprintId", id, "name", 42), "name");
        assertRefused(Map.of("blueprintId", List.of(id), "name", "monday"), "blueprintId");
        assertThat(errorFields(deploy(List.of("not", "an", "object")).expectStatus().isBadRequest()))
                .containsExactly("body");
        assertThat(errorFields(api.post().uri("/api/v1/ranges/any/redeploy").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("nmae", "x")).exchange().expectStatus().isBadRequest())).containsExactly("nmae");
    }

    @Test
    void aRangeWithoutBlueprintIsRefused() {
        assertRefused(Map.of("name", "monday"), "blueprintId");
        assertRefused(Map.of("name", "monday", "blueprintId", " "), "blueprintId");
    }

    @Test
    void aRangeNameWithCharactersOutsideTheAllowedSetIsRefused() {
        assertRefused(Map.of("blueprintId", "bp-1", "name", "monday/../tuesday"), "name");
        assertRefused(Map.of("blueprintId", "bp-1", "name", "-starts-with-a-dash"), "name");
        assertRefused(Map.of("blueprintId", "bp-1", "name", "x".repeat(64)), "name");
    }

    @Test
    void aBlueprintLargerThanTheDockerHostIsRefusedBeforeAnythingIsAppended() {
        String yaml = sampleYaml("too-big");
        assertThat(yaml).contains("resources: {memory: 2g, cpus: 2}");
        // the fake host has 2 CPUs and 4 GiB
        String id = register(yaml.replace("resources: {memory: 2g, cpus: 2}", "resources: {memory: 5g, cpus: 3}"));

        assertRefused(Map.of("blueprintId", id, "name", "monday"), "resources.cpus", "resources.memory");
    }

    @Autowired
    CommandGateway commands;

    @Test
    void aBlueprintStoredUnderOlderRulesIsRefusedBeforeAnythingIsAppended() {
        // registered before validation knew Docker's container-name rule: a VM named "a" fails at START_VM. The
        // aggregate takes it as recorded (the API's rules are the ones that change), as its old events would load.
        Blueprint older = BlueprintParser.fromJson("""
                {"name": "older-rules", "networks": [{"name": "lan", "subnet": "10.0.1.0/24", "gateway": "10.0.1.1"}],
                 "vms": [{"name": "a", "image": "cyroid/vm-busybox:latest",
                          "interfaces": [{"network": "lan", "ip": "10.0.1.10"}]}]}""");
        commands.sendAndWait(new RegisterBlueprint("bp-older-rules", older, USER));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> api.get()
                .uri("/api/v1/blueprints/{id}", "bp-older-rules").exchange().expectStatus().isOk());

        assertRefused(Map.of("blueprintId", "bp-older-rules", "name", "monday"), "vms[0].name");
    }

    @Test
    void aRetiredBlueprintCannotBeDeployedAndItsRangesStay() {
        String id = register(sampleYaml("retired-then-deployed"));
        String rangeId = deploy(Map.of("blueprintId", id, "name", "before-retirement")).expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody().rangeId();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        assertThat(api.get().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isOk()
                .expectBody(RangeView.class).returnResult().getResponseBody().blueprintVersion()).isEqualTo(1);

        api.delete().uri("/api/v1/blueprints/{id}", id).exchange().expectStatus().isOk();
        List<RangeView> before = ranges();

        deploy(Map.of("blueprintId", id, "name", "after-retirement")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("retired"));

        assertThat(ranges()).isEqualTo(before);
        assertThat(awaitStatus(rangeId, RangeStatus.DEPLOYED).blueprintId()).isEqualTo(id);
        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);
    }

    @Test
    void aRangeRecordsTheBlueprintVersionItWasDeployedFrom() {
        String id = register(sampleYaml("revised-then-deployed"));
        api.put().uri("/api/v1/blueprints/{id}", id).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(sampleYaml("revised-then-deployed").replace("ROLE: web", "ROLE: web2")).exchange()
                .expectStatus().isOk();

        String rangeId = deploy(Map.of("blueprintId", id, "name", "from-v2")).expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody().rangeId();

        RangeView deployed = awaitStatus(rangeId, RangeStatus.DEPLOYED);
        assertThat(deployed.blueprintId()).isEqualTo(id);
        assertThat(deployed.blueprintVersion()).isEqualTo(2);
        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);
    }

    @Test
    void aBlueprintAsLargeAsTheDockerHostIsAccepted() {
        String id = register(sampleYaml("host-sized")
                .replace("resources: {memory: 2g, cpus: 2}", "resources: {memory: 4g, cpus: 2}"));

        String rangeId = deploy(Map.of("blueprintId", id, "name", "host-sized")).expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody().rangeId();

        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);
    }

    @Test
    void anEmptyRequestNamesEveryMissingField() {
        assertRefused(Map.of(), "blueprintId", "name");
    }

    @Test
    void anUnreadableRequestBodyIsRefused() {
        List<RangeView> before = ranges();

        WebTestClient.ResponseSpec response = api.post().uri("/api/v1/ranges")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": ").exchange()
                .expectStatus().isBadRequest();

        assertThat(errorFields(response)).containsExactly("body");
        assertThat(ranges()).isEqualTo(before);
    }

    @Test
    void aRangeOfAnUnknownBlueprintIsNotFound() {
        long events = storedEvents();

        deploy(Map.of("blueprintId", "no-such-blueprint", "name", "monday")).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("no blueprint no-such-blueprint");

        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void anUnknownRangeIsNotFound() {
        api.get().uri("/api/v1/ranges/{id}", "no-such-range").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
    }

    @Test
    void destroyingAnUnknownRangeIsNotFoundAndRecordsNothing() {
        long events = storedEvents();

        api.delete().uri("/api/v1/ranges/{id}", "no-such-range").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);

        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void theEventsOfAnUnknownRangeAreNotFound() {
        api.get().uri("/api/v1/ranges/{id}/events", "no-such-range").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void theStreamOfAnUnknownRangeIsNotFound() {
        api.get().uri("/api/v1/ranges/{id}/stream", "no-such-range").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void healthIsOpenAndUp() {
        anonymous.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void theApiDescriptionIsOpenAndDescribesTheRanges() {
        String description = anonymous.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(description).contains("/api/v1/ranges", "/api/v1/ranges/{id}/stream", "/api/v1/blueprints");
    }

    @Test
    void rangesNeedCredentials() {
        long events = storedEvents();

        anonymous.get().uri("/api/v1/ranges").exchange().expectStatus().isUnauthorized();
        anonymous.get().uri("/api/v1/ranges/{id}/stream", "any").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isUnauthorized();
        anonymous.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("blueprintId", "bp-1", "name", "anonymous")).exchange()
                .expectStatus().isUnauthorized();
        anonymous.mutate().defaultHeaders(h -> h.setBasicAuth(USER, "wrong")).build()
                .delete().uri("/api/v1/ranges/{id}", "any").exchange()
                .expectStatus().isUnauthorized();

        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void aDeployedRangeIsFollowedLiveThenDestroyedOnce() {
        FollowedRange range = aRangeIsDeployedFollowedLiveThenDestroyedOnce("sse-sample");

        assertThat(engine.calls(range.rangeId())).as("the saga's steps, on the fake engine")
                .startsWith("createDind")
                .contains("createNetwork lan", "createNetwork dmz", "startVm web", "startVm db")
                .endsWith("removeRange");
    }
}

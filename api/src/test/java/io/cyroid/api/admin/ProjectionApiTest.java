package io.cyroid.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cyroid.api.WithoutEngine;
import io.cyroid.api.admin.ProjectionAdmin.Projection;
import io.cyroid.messages.RangeStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The projection endpoints on the fake engine: the list's shape, the refusals (unknown name, the saga, no
 * credentials), and a replay of the range read model and of the audit log that leaves them as they were, refused
 * requests included.
 */
class ProjectionApiTest extends WithoutEngine {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String REFUSED_DEPLOYS = "/api/v1/audit?outcome=REFUSED&action=POST /api/v1/ranges";

    @Autowired
    EventProcessingConfiguration processing;

    List<Projection> projections() {
        return api.get().uri("/api/v1/admin/projections").exchange()
                .expectStatus().isOk()
                .expectBodyList(Projection.class).returnResult().getResponseBody();
    }

    Projection projection(String name) {
        return api.get().uri("/api/v1/admin/projections/{name}", name).exchange()
                .expectStatus().isOk()
                .expectBody(Projection.class).returnResult().getResponseBody();
    }

    JsonNode json(String uri) {
        return api.get().uri(uri).exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
    }

    /** Until the processor has replayed everything up to the event store's head. */
    void awaitCaughtUp(String name) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(projection(name)).satisfies(p -> {
            assertThat(p.replaying()).as("replaying: %s", p).isFalse();
            assertThat(p.state()).isEqualTo("running");
            assertThat(p.position()).as("position of %s", p).isNotNull().isEqualTo(p.head());
        }));
    }

    @Test
    void everyProcessorIsListedWithItsStateAndPosition() {
        List<Projection> listed = projections();

        assertThat(listed).extracting(Projection::name)
                .containsExactlyInAnyOrderElementsOf(processing.eventProcessors().keySet())
                .contains("range-projection", "blueprint-projection", "audit-log", "ProvisioningSagaProcessor");
        assertThat(listed).filteredOn(p -> p.name().equals("ProvisioningSagaProcessor")).singleElement()
                .satisfies(saga -> {
                    assertThat(saga.resettable()).isFalse();
                    assertThat(saga.segments()).isEqualTo(8);
                });
        assertThat(listed).filteredOn(p -> p.name().equals("range-projection")).singleElement()
                .satisfies(range -> {
                    assertThat(range.state()).isEqualTo("running");
                    assertThat(range.resettable()).isTrue();
                    assertThat(range.segments()).isEqualTo(1);
                });
        String raw = api.get().uri("/api/v1/admin/projections/audit-log").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(raw).contains("\"name\":\"audit-log\"", "\"state\":", "\"replaying\":", "\"position\":",
                "\"head\":", "\"lag\":", "\"segments\":");
    }

    @Test
    void unknownNamesAreNotFoundAndTheSagaIsRefusedWithTheReason() {
        for (var request : List.of(api.get().uri("/api/v1/admin/projections/no-such"),
                api.post().uri("/api/v1/admin/projections/no-such/replay"))) {
            request.exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").isEqualTo("no event processor no-such");
        }
        api.post().uri("/api/v1/admin/projections/ProvisioningSagaProcessor/replay").exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("saga"));
        assertThat(projection("ProvisioningSagaProcessor").state()).as("refused: left alone").isEqualTo("running");
        anonymous.get().uri("/api/v1/admin/projections").exchange().expectStatus().isUnauthorized();
        anonymous.post().uri("/api/v1/admin/projections/range-projection/replay").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void aReplayRebuildsTheRangesAndTheAuditLogAsTheyWereAndKeepsRefusedRequests() {
        String blueprintId = register(sampleYaml("replayed"));
        String rangeId = deploy(Map.of("blueprintId", blueprintId, "name", "replayed")).expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("rangeId").asText();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        deploy(Map.of("blueprintId", blueprintId, "name", "")).expectStatus().isBadRequest();
        await().atMost(WAIT).until(() -> json(REFUSED_DEPLOYS).get("total").asLong() == 1);
        awaitCaughtUp("range-projection");
        awaitCaughtUp("audit-log");
        JsonNode ranges = json("/api/v1/ranges");
        JsonNode audit = json("/api/v1/audit?size=500");
        assertThat(ranges).hasSize(1);
        assertThat(audit.get("total").asLong()).as("events and the refusal").isGreaterThan(10);

        for (String name : List.of("range-projection", "audit-log")) {
            Projection accepted = api.post().uri("/api/v1/admin/projections/{name}/replay", name).exchange()
                    .expectStatus().isAccepted()
                    .expectBody(Projection.class).returnResult().getResponseBody();
            assertThat(accepted.name()).isEqualTo(name);
            awaitCaughtUp(name);
        }

        assertThat(json("/api/v1/ranges")).isEqualTo(ranges);
        assertThat(json("/api/v1/audit?size=500")).isEqualTo(audit);
        assertThat(json(REFUSED_DEPLOYS).get("total").asLong()).as("the refusal survives").isEqualTo(1);
        // live again: a new event reaches both read models
        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);
        await().atMost(WAIT).until(() -> json("/api/v1/audit?action=RangeDestroyed").get("total").asLong() == 1);
    }
}

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * A deploy that fails on the real engine (a VM image missing on the host), then its destroy, read back as the
 * operator and the auditor see it: the timeline names the failed step with the engine's words and shows the
 * compensation; the audit log holds every event, the failure as FAILED, and outlives the destroyed range.
 */
class AuditIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final String MISSING = "cyroid/not-on-this-host:1";

    @Test
    void aFailedDeployIsATimelineAndAnAuditTrailThatOutlivesTheRange() throws Exception {
        String blueprintId = api.registerBlueprint("""
                name: it-audit-missing-image
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                vms:
                  - {name: ghost, image: "%s", interfaces: [{network: lan, ip: 10.0.1.10}]}
                """.formatted(MISSING));
        String rangeId = api.requestRange(blueprintId, "audit-missing-image");
        api.awaitStatus(rangeId, "FAILED", TIMEOUT);
        api.awaitEvent(rangeId, "DinDRemoved", TIMEOUT);
        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);

        List<JsonNode> steps = list(get("/api/v1/ranges/" + rangeId + "/timeline").get("steps"));
        assertThat(steps).extracting(step -> step.get("step").asText() + " " + step.get("outcome").asText())
                .contains("CREATE_DIND OK", "SEED_IMAGES FAILED", "DEPLOY FAILED", "COMPENSATE OK", "DESTROY OK")
                // the network is created side by side with the seeding, which may fail first
                .containsAnyOf("CREATE_NETWORK OK", "CREATE_NETWORK ABORTED");
        assertThat(steps).filteredOn(step -> step.get("step").asText().equals("SEED_IMAGES")).singleElement()
                .satisfies(step -> assertThat(step.get("detail").asText()).contains(MISSING));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                get("/api/v1/audit?rangeId=" + rangeId).get("total").asLong()).isEqualTo(
                api.events(rangeId).size()));
        List<JsonNode> entries = list(get("/api/v1/audit?rangeId=" + rangeId + "&outcome=FAILED").get("items"));
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.get("action").asText()).isEqualTo("RangeDeploymentFailed");
            assertThat(entry.get("blueprintId").asText()).isEqualTo(blueprintId);
            assertThat(entry.get("user").asText()).isEqualTo("admin");
            assertThat(entry.get("detail").asText()).contains(MISSING);
        });
        String csv = api.web.get().uri("/api/v1/audit?rangeId={id}", rangeId)
                .accept(MediaType.parseMediaType("text/csv")).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv).contains("RangeDeploymentFailed", "RangeDestroyed");
    }

    private JsonNode get(String uri) {
        return api.web.get().uri(uri).exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }
}

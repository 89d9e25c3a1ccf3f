package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

/**
 * Issue 9's whole story on the real engine, as the auditor and the operator meet it: a blueprint registered, revised
 * and retired; a range deployed and followed by a client that drops and resumes its stream; a deploy that fails on a
 * missing image; a refused request; destroys; a redeploy of a destroyed range. Then: who did what (filters, CSV),
 * the failed range's timeline, the range at any event, the links of a redeploy, and every read model rebuilt by a
 * replay equal to the live one.
 */
class OperatorAndAuditorIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final String MISSING = "cyroid/not-on-this-host:9";
    static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE = new ParameterizedTypeReference<>() {
    };

    static String blueprint(String name, String image) {
        return """
                name: %s
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                vms:
                  - {name: web, image: "%s", interfaces: [{network: lan, ip: 10.0.1.10}], command: [sleep, infinity]}
                """.formatted(name, image);
    }

    @Test
    void theAuditorAndTheOperatorCanAnswerWhoDidWhatAndWhyADeployFailed() {
        Instant start = Instant.now();
        String classroom = api.registerBlueprint(blueprint("it-ops-classroom", "cyroid/vm-busybox:latest"));
        api.web.put().uri("/api/v1/blueprints/{id}", classroom).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(blueprint("it-ops-classroom", "cyroid/vm-busybox:latest")
                        .replace("10.0.1.10", "10.0.1.20"))
                .exchange().expectStatus().isOk();

        // a deploy, with the caller's correlation id; its stream client sees the first state, then drops
        JsonNode accepted = api.web.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON)
                .header("X-Correlation-Id", "it-ops-deploy-1")
                .bodyValue(Map.of("blueprintId", classroom, "name", "ops-class")).exchange()
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        String range = accepted.get("rangeId").asText();
        api.requested.add(range);
        ServerSentEvent<JsonNode> firstSeen = stream("/api/v1/ranges/{id}/stream", null, range)
                .filter(event -> event.data() != null).blockFirst(TIMEOUT);
        JsonNode deployed = api.awaitStatus(range, "DEPLOYED", TIMEOUT);
        assertThat(deployed.get("blueprintVersion").asInt()).isEqualTo(2);
        assertThat(deployed.get("vms").get(0).get("interfaces").get(0).get("ip").asText()).isEqualTo("10.0.1.20");

        // it comes back with the last id it saw: every state since, none missing, the last the live one
        long deployedVersion = deployed.get("version").asLong();
        List<ServerSentEvent<JsonNode>> resumed = stream("/api/v1/ranges/{id}/stream", firstSeen.id(), range)
                .filter(event -> event.data() != null)
                .takeUntil(event -> event.data().get("version").asLong() == deployedVersion)
                .collectList().block(TIMEOUT);
        assertThat(resumed).extracting(ServerSentEvent::id).containsExactlyElementsOf(LongStream.rangeClosed(
                Long.parseLong(firstSeen.id()) + 1, deployedVersion).mapToObj(String::valueOf).toList());
        assertThat(resumed.get(resumed.size() - 1).data()).isEqualTo(deployed);

        // the range at any of its events: REQUESTED at 0, the live range at the last
        assertThat(api.json("/api/v1/ranges/" + range + "/at/0").get("status").asText()).isEqualTo("REQUESTED");
        assertThat(api.json("/api/v1/ranges/" + range + "/at/" + deployedVersion)).isEqualTo(api.range(range));

        // a deploy that fails on the engine: the timeline names the step and the engine's words
        String broken = api.registerBlueprint(blueprint("it-ops-missing-image", MISSING));
        String failed = api.requestRange(broken, "ops-broken");
        api.awaitStatus(failed, "FAILED", TIMEOUT);
        api.awaitEvent(failed, "DinDRemoved", TIMEOUT);
        List<JsonNode> steps = list(api.json("/api/v1/ranges/" + failed + "/timeline").get("steps"));
        assertThat(steps).filteredOn(step -> step.get("outcome").asText().equals("FAILED"))
                .extracting(step -> step.get("step").asText()).contains("SEED_IMAGES", "DEPLOY");
        assertThat(steps).filteredOn(step -> step.get("step").asText().equals("SEED_IMAGES")).singleElement()
                .satisfies(step -> assertThat(step.get("detail").asText()).contains(MISSING));
        assertThat(steps).extracting(step -> step.get("step").asText() + " " + step.get("outcome").asText())
                .contains("COMPENSATE OK");

        // a refused request: nothing appended, but audited
        api.web.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("blueprintId", classroom, "name", "../etc")).exchange()
                .expectStatus().isBadRequest();

        // the catalogue moves on, the class ends, and the destroyed class is deployed again to look into it
        api.web.delete().uri("/api/v1/blueprints/{id}", classroom).exchange().expectStatus().isOk();
        api.destroy(range);
        api.awaitStatus(range, "DESTROYED", TIMEOUT);
        JsonNode again = api.web.post().uri("/api/v1/ranges/{id}/redeploy", range).exchange()
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        String redeployed = again.get("rangeId").asText();
        api.requested.add(redeployed);
        JsonNode second = api.awaitStatus(redeployed, "DEPLOYED", TIMEOUT);
        assertThat(second.get("redeployOf").asText()).isEqualTo(range);
        assertThat(second.get("blueprintVersion").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.range(range).get("redeployedAs"))
                .extracting(JsonNode::asText).containsExactly(redeployed));
        api.destroy(redeployed);
        api.destroy(failed);
        api.awaitStatus(redeployed, "DESTROYED", TIMEOUT);
        api.awaitStatus(failed, "DESTROYED", TIMEOUT);

        // who did what: every event of each range is an entry, with the user; the refused request too
        for (String id : List.of(range, failed, redeployed)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    api.json("/api/v1/audit?rangeId=" + id).get("total").asLong()).isEqualTo(api.events(id).size()));
        }
        List<JsonNode> requests = list(api.json("/api/v1/audit?action=RangeRequested&user=admin&from=" + start)
                .get("items"));
        assertThat(requests).extracting(entry -> entry.get("rangeId").asText())
                .containsExactlyInAnyOrder(range, failed, redeployed);
        assertThat(requests).filteredOn(entry -> entry.get("rangeId").asText().equals(range)).singleElement()
                .satisfies(entry -> {
                    assertThat(entry.get("correlationId").asText()).isEqualTo("it-ops-deploy-1");
                    assertThat(entry.get("blueprintId").asText()).isEqualTo(classroom);
                    assertThat(entry.get("client").asText()).isEqualTo("127.0.0.1");
                });
        assertThat(list(api.json("/api/v1/audit?blueprintId=" + classroom + "&user=admin").get("items")))
                .extracting(entry -> entry.get("action").asText())
                .contains("BlueprintRegistered", "BlueprintRevised", "BlueprintRetired");
        assertThat(list(api.json("/api/v1/audit?outcome=REFUSED&user=admin").get("items"))).singleElement()
                .satisfies(entry -> {
                    assertThat(entry.get("action").asText()).isEqualTo("POST /api/v1/ranges");
                    assertThat(entry.get("status").asInt()).isEqualTo(400);
                });
        assertThat(list(api.json("/api/v1/audit?outcome=FAILED&rangeId=" + failed).get("items")))
                .extracting(entry -> entry.get("action").asText()).containsExactly("RangeDeploymentFailed");
        assertThat(list(api.json("/api/v1/audit?rangeId=" + range + "&action=RangeRedeployed").get("items")))
                .singleElement().satisfies(entry -> assertThat(entry.get("user").asText()).isEqualTo("admin"));
        String csv = api.web.get().uri("/api/v1/audit?user=admin&size=500")
                .accept(MediaType.parseMediaType("text/csv")).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv).contains("BlueprintRevised", "BlueprintRetired", "RangeDeploymentFailed", "RangeRedeployed",
                "POST /api/v1/ranges", "it-ops-deploy-1");
        api.web.get().uri("/api/v1/audit?user=admin&page=-1").exchange().expectStatus()
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    private reactor.core.publisher.Flux<ServerSentEvent<JsonNode>> stream(String uri, String lastEventId,
                                                                          Object... variables) {
        var request = api.web.get().uri(uri, variables).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange().expectStatus().isOk().returnResult(SSE).getResponseBody();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }
}

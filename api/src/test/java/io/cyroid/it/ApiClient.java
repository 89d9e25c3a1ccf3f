package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The REST API as a client sees it, plus waits on range status. */
final class ApiClient {

    /** For each awaited status, the statuses from which the range can no longer reach it without a new command. */
    static final Map<String, Set<String>> DEAD_ENDS = Map.of(
            "DEPLOYED", Set.of("FAILED", "DESTROYING", "DESTROYED"),
            "FAILED", Set.of("DEPLOYED", "DESTROYING", "DESTROYED"),
            "DESTROYED", Set.of());

    final WebTestClient web;
    /** Every range this client requested, for the clean-up after a failed test. */
    final List<String> requested = new CopyOnWriteArrayList<>();

    ApiClient(String baseUrl, String password) {
        this(baseUrl, "admin", password);
    }

    ApiClient(String baseUrl, String user, String password) {
        this.web = WebTestClient.bindToServer().baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(60))
                .defaultHeaders(h -> h.setBasicAuth(user, password)).build();
    }

    String registerBlueprint(String yaml) {
        JsonNode created = web.post().uri("/api/v1/blueprints").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange().expectStatus().isCreated().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        return created.get("id").asText();
    }

    String requestRange(String blueprintId, String name) {
        JsonNode accepted = web.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("blueprintId", blueprintId, "name", name)).exchange()
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(accepted.get("status").asText()).isEqualTo("REQUESTED");
        requested.add(accepted.get("rangeId").asText());
        return accepted.get("rangeId").asText();
    }

    JsonNode range(String rangeId) {
        return web.get().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    JsonNode events(String rangeId) {
        return web.get().uri("/api/v1/ranges/{id}/events", rangeId).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    void destroy(String rangeId) {
        web.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
    }

    /** Waits until the range reaches the status; fails at once if it settles in another final status. */
    JsonNode awaitStatus(String rangeId, String status, Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                var response = web.get().uri("/api/v1/ranges/{id}", rangeId).exchange().returnResult(JsonNode.class);
                if (!response.getStatus().is2xxSuccessful()) {
                    return null;
                }
                JsonNode range = response.getResponseBody().blockFirst();
                last.set(range);
                String now = range.get("status").asText();
                if (DEAD_ENDS.getOrDefault(status, Set.of()).contains(now)) {
                    fail("range %s is %s, expected %s: %s", rangeId, now, status, range.get("failureReason"));
                }
                return now.equals(status) ? range : null;
            }, range -> range != null);
        } catch (ConditionTimeoutException e) {
            return fail("range %s did not reach %s within %s; last: %s", rangeId, status, timeout, last.get());
        }
    }

    /** Waits until the range's history holds an event of this type (the read model may be ahead of cleanup). */
    void awaitEvent(String rangeId, String type, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .alias("range " + rangeId + " has a " + type + " event")
                .until(() -> count(rangeId, type) > 0);
    }

    /** POSTs a VM action and returns the HTTP status code. */
    int vmAction(String rangeId, String vm, String action) {
        return web.post().uri("/api/v1/ranges/{id}/vms/{vm}/{action}", rangeId, vm, action).exchange()
                .returnResult(String.class).getStatus().value();
    }

    /** Waits until the VM shows this status (and no action under way) in the read model. */
    JsonNode awaitVm(String rangeId, String vm, String status, Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .alias("VM " + vm + " of range " + rangeId + " is " + status)
                .until(() -> {
                    for (JsonNode node : range(rangeId).get("vms")) {
                        if (node.get("name").asText().equals(vm) && node.get("status").asText().equals(status)
                                && (node.get("pendingAction") == null || node.get("pendingAction").isNull())) {
                            return node;
                        }
                    }
                    return null;
                }, node -> node != null);
    }

    /** GET of any API path as JSON, expecting 200. */
    JsonNode json(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();
    }

    void reviseBlueprint(String blueprintId, String yaml) {
        web.put().uri("/api/v1/blueprints/{id}", blueprintId).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange().expectStatus().isOk();
    }

    void retireBlueprint(String blueprintId) {
        web.delete().uri("/api/v1/blueprints/{id}", blueprintId).exchange().expectStatus().isOk();
    }

    /** One event processor as GET /api/v1/admin/projections/{name} shows it. */
    JsonNode projection(String name) {
        return json("/api/v1/admin/projections/" + name);
    }

    /** Starts the replay of a processor: 202 with its entry. */
    JsonNode replay(String name) {
        return web.post().uri("/api/v1/admin/projections/{name}/replay", name).exchange()
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Waits until the processor runs, replays nothing, and its position has reached the event store's head. */
    JsonNode awaitCaughtUp(String name, Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .alias(name + " is running, not replaying, and at the head of the event store")
                .until(() -> projection(name), p -> p.get("state").asText().equals("running")
                        && !p.get("replaying").asBoolean() && !p.get("position").isNull()
                        && p.get("position").asLong() == p.get("head").asLong());
    }

    /** How many events of this type the range's history holds. */
    long count(String rangeId, String type) {
        long n = 0;
        for (JsonNode event : events(rangeId)) {
            if (event.get("type").asText().equals(type)) {
                n++;
            }
        }
        return n;
    }
}

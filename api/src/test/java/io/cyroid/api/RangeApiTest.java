package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.github.dockerjava.api.model.Container;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import io.cyroid.provisioning.docker.CyroidLabels;
import io.cyroid.provisioning.docker.DockerClients;
import io.cyroid.api.blueprint.BlueprintDocument;
import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.api.range.RangeHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

class RangeApiTest extends ApiTestSupport {

    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(90);
    static final ParameterizedTypeReference<ServerSentEvent<RangeView>> RANGE_EVENT =
            new ParameterizedTypeReference<>() {
            };

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DockerClients docker;

    @Autowired
    MongoTemplate mongo;

    List<RangeView> ranges() {
        return api.get().uri("/api/v1/ranges").exchange()
                .expectStatus().isOk()
                .expectBodyList(RangeView.class).returnResult().getResponseBody();
    }

    /** Events in the event store, of every range: what a refused request must not add to. */
    long storedEvents() {
        return Objects.requireNonNull(jdbc.queryForObject("select count(*) from DomainEventEntry", Long.class));
    }

    WebTestClient.ResponseSpec deploy(Object request) {
        return api.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange();
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

    String registerSample(String name) {
        String yaml;
        try {
            yaml = new ClassPathResource("samples/corp-lan.yaml").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return api.post().uri("/api/v1/blueprints").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml.replaceFirst("name: corp-lan\n", "name: " + name + "\n")).exchange()
                .expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, String>>() {
                }).returnResult().getResponseBody().get("id");
    }

    @Test
    void aRangeWithoutNameIsRefused() {
        assertRefused(Map.of("blueprintId", "bp-1"), "name");
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
        String yaml;
        try {
            yaml = new ClassPathResource("samples/corp-lan.yaml").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String id = api.post().uri("/api/v1/blueprints").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml.replaceFirst("name: corp-lan\n", "name: too-big\n")
                        .replace("resources: {memory: 2g, cpus: 2}", "resources: {memory: 4096g, cpus: 1000}"))
                .exchange().expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, String>>() {
                }).returnResult().getResponseBody().get("id");

        assertRefused(Map.of("blueprintId", id, "name", "monday"), "resources.cpus", "resources.memory");
    }

    @Test
    void aBlueprintStoredUnderOlderRulesIsRefusedBeforeAnythingIsAppended() {
        // registered before validation knew Docker's container-name rule: a VM named "a" fails at START_VM
        BlueprintDocument old = new BlueprintDocument();
        old.id = "bp-older-rules";
        old.name = "older-rules";
        old.json = """
                {"name": "older-rules", "networks": [{"name": "lan", "subnet": "10.0.1.0/24", "gateway": "10.0.1.1"}],
                 "vms": [{"name": "a", "image": "cyroid/vm-busybox:latest",
                          "interfaces": [{"network": "lan", "ip": "10.0.1.10"}]}]}""";
        old.createdBy = USER;
        old.createdAt = Instant.now();
        mongo.insert(old);

        assertRefused(Map.of("blueprintId", old.id, "name", "monday"), "vms[0].name");
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

    /**
     * The one test that deploys: the sample (two VMs in one DinD) on the real engine. Whatever happens, the range
     * is destroyed before the test ends, and the test waits until nothing of it is left on the engine.
     */
    @Test
    void aDeployedRangeIsFollowedLiveThenDestroyedOnce() {
        String blueprintId = registerSample("sse-sample");
        Instant requested = Instant.now();

        Accepted accepted = deploy(Map.of("blueprintId", blueprintId, "name", "sse range")).expectStatus()
                .isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody();
        assertThat(accepted.status()).isEqualTo(RangeStatus.REQUESTED);
        String rangeId = accepted.rangeId();
        boolean destroyRequested = false;
        try {
            // followed right after the 202, as a client does: the range must not be "not found" then
            List<RangeView> states = follow(rangeId);

            assertThat(states.get(0).status()).as("the first event is the state when the stream opened")
                    .isIn(RangeStatus.REQUESTED, RangeStatus.PROVISIONING);
            assertThat(states.size()).as("later states follow the first").isGreaterThan(1);
            assertThat(states).extracting(RangeView::updatedAt).isSortedAccordingTo(Instant::compareTo);
            RangeView deployed = states.get(states.size() - 1);
            assertThat(deployed.status()).as("last streamed state: %s", deployed).isEqualTo(RangeStatus.DEPLOYED);
            assertThat(deployed.name()).isEqualTo("sse range");
            assertThat(deployed.blueprintId()).isEqualTo(blueprintId);
            assertThat(deployed.createdBy()).isEqualTo(USER);
            assertThat(deployed.deployedAt()).isAfterOrEqualTo(deployed.createdAt());
            assertThat(deployed.createdAt()).isAfterOrEqualTo(requested.minusSeconds(1));
            assertThat(deployed.dind()).isNotNull();
            assertThat(deployed.vms()).extracting(RangeView.Vm::name, RangeView.Vm::status)
                    .containsExactly(tuple("web", "RUNNING"),
                            tuple("db", "RUNNING"));
            assertThat(ranges()).extracting(RangeView::rangeId).contains(rangeId);

            api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange()
                    .expectStatus().isAccepted()
                    .expectBody(Accepted.class).isEqualTo(new Accepted(rangeId, RangeStatus.DESTROYING));
            destroyRequested = true;

            api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange()
                    .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(409);

            RangeView destroyed = awaitStatus(rangeId, RangeStatus.DESTROYED);
            assertThat(destroyed.vms()).extracting(RangeView.Vm::status).containsOnly("REMOVED");
            assertThat(containersOf(rangeId)).isEmpty();

            List<RangeHistory.Entry> history = api.get().uri("/api/v1/ranges/{id}/events", rangeId).exchange()
                    .expectStatus().isOk()
                    .expectBodyList(RangeHistory.Entry.class).returnResult().getResponseBody();
            assertThat(history).extracting(RangeHistory.Entry::type).containsExactly("RangeRequested",
                    "DinDCreated", "NetworkCreated", "NetworkCreated", "ImagesSeeded", "VmStarted", "VmStarted",
                    "RangeDeployed", "RangeDestroyRequested", "DinDRemoved", "RangeDestroyed");
            assertThat(history).extracting(RangeHistory.Entry::sequence)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(history.get(0).user()).isEqualTo(USER);
        } finally {
            if (!destroyRequested) {
                api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange();
            }
            awaitStatus(rangeId, RangeStatus.DESTROYED);
        }
    }

    /** The range's SSE stream, opened at once, until the range is deployed or has failed. */
    List<RangeView> follow(String rangeId) {
        List<ServerSentEvent<RangeView>> events = api.get().uri("/api/v1/ranges/{id}/stream", rangeId)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(RANGE_EVENT).getResponseBody()
                .filter(event -> event.data() != null) // not the keep-alive comments
                .takeUntil(event -> event.data().status() == RangeStatus.DEPLOYED
                        || event.data().status() == RangeStatus.FAILED)
                .timeout(DEPLOY_TIMEOUT)
                .collectList()
                .block(DEPLOY_TIMEOUT.plusSeconds(10));
        assertThat(events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.event()).isEqualTo("range");
            assertThat(event.id()).isEqualTo(String.valueOf(event.data().version()));
            assertThat(event.data().rangeId()).isEqualTo(rangeId);
        });
        assertThat(events).extracting(event -> event.data().version()).as("event ids only grow").isSorted()
                .doesNotHaveDuplicates();
        return events.stream().map(ServerSentEvent::data).toList();
    }

    RangeView awaitStatus(String rangeId, RangeStatus status) {
        return poll(rangeId, DEPLOY_TIMEOUT, view -> view != null && view.status() == status);
    }

    RangeView poll(String rangeId, Duration timeout, Predicate<RangeView> done) {
        Instant deadline = Instant.now().plus(timeout);
        RangeView view = null;
        while (Instant.now().isBefore(deadline)) {
            var result = api.get().uri("/api/v1/ranges/{id}", rangeId).exchange()
                    .returnResult(RangeView.class);
            view = result.getStatus().is2xxSuccessful() ? result.getResponseBody().blockFirst() : null;
            if (done.test(view)) {
                return view;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("range " + rangeId + " not as expected within " + timeout + "; last: " + view);
    }

    List<Container> containersOf(String rangeId) {
        return docker.host().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CyroidLabels.RANGE_ID, rangeId)).exec();
    }
}

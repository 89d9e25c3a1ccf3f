package io.cyroid.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.api.WithoutEngine;
import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.api.range.RangeTimeline;
import io.cyroid.audit.AuditEntry;
import io.cyroid.messages.RangeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriBuilder;

/**
 * The audit log and the timeline through the API, on the fake engine: refused requests (400, 401) recorded with
 * their status and user, every event of a range's life an entry that outlives the range, filters, pages and CSV.
 */
class AuditApiTest extends WithoutEngine {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    MongoTemplate mongo;

    record Page(List<AuditEntry> items, int page, int size, long total) {
    }

    Page audit(Map<String, String> filters) {
        return api.get().uri(uri -> query(uri, filters)).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Page.class).returnResult().getResponseBody();
    }

    String csv(Map<String, String> filters) {
        return api.get().uri(uri -> query(uri, filters)).accept(MediaType.parseMediaType("text/csv")).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                .expectBody(String.class).returnResult().getResponseBody();
    }

    static java.net.URI query(UriBuilder uri, Map<String, String> filters) {
        uri.path("/api/v1/audit");
        filters.forEach(uri::queryParam);
        return uri.build();
    }

    /** The entries of a filter, once there are {@code count}: the log is written a moment after the answer. */
    Page awaitEntries(Map<String, String> filters, long count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(audit(filters).total()).isEqualTo(count));
        return audit(filters);
    }

    @Test
    void aRefusedDeployIsRecordedWithItsStatusUserCorrelationIdAndClient() {
        api.post().uri("/api/v1/ranges").header("X-Correlation-Id", "ticket-42")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange()
                .expectStatus().isBadRequest();

        AuditEntry entry = awaitEntries(Map.of("action", "POST /api/v1/ranges",
                "outcome", "REFUSED", "user", USER), 1).items().get(0);

        assertThat(entry.status()).isEqualTo(400);
        assertThat(entry.user()).isEqualTo(USER);
        assertThat(entry.correlationId()).isEqualTo("ticket-42");
        assertThat(entry.client()).isEqualTo("127.0.0.1");
        assertThat(entry.kind()).isEqualTo(AuditEntry.REQUEST);
    }

    @Test
    void aRefusedSignInIsRecordedWithTheAttemptedNameAndNeverThePassword() {
        anonymous.delete().uri("/api/v1/ranges/{id}", "r-x").headers(h -> h.setBasicAuth("mallory", "hunter2-pw"))
                .exchange().expectStatus().isUnauthorized();

        AuditEntry entry = awaitEntries(Map.of("user", "mallory"), 1).items().get(0);

        assertThat(entry.status()).isEqualTo(401);
        assertThat(entry.action()).isEqualTo("DELETE /api/v1/ranges/r-x");
        assertThat(entry.rangeId()).isEqualTo("r-x");
        assertThat(mongo.getCollection(AuditEntry.COLLECTION).find().map(Object::toString)
                .into(new java.util.ArrayList<>())).noneMatch(document -> document.contains("hunter2"));
        assertThat(csv(Map.of())).doesNotContain("hunter2").contains("mallory");
    }

    @Test
    void aGetWithoutCredentialsIsRecordedButAnAnsweredGetIsNot() {
        anonymous.get().uri("/api/v1/blueprints").exchange().expectStatus().isUnauthorized();
        api.get().uri("/api/v1/ranges/{id}", "no-such-range").exchange().expectStatus().isNotFound();

        awaitEntries(Map.of("action", "GET /api/v1/blueprints", "outcome", "REFUSED"), 1);
        assertThat(audit(Map.of("action", "GET /api/v1/ranges/no-such-range")).total()).isZero();
    }

    @Test
    void everyEventOfARangeIsAnEntryThatOutlivesTheRangeFilteredPagedAndExported() {
        String blueprintId = register(sampleYaml("audited"));
        Instant before = Instant.now().minusSeconds(1);
        String rangeId = api.post().uri("/api/v1/ranges").header("X-Correlation-Id", "change-7")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("blueprintId", blueprintId, "name", "aud"))
                .exchange().expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody().rangeId();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);

        // requested, DinD, 2 networks, images, 2 VMs, deployed, destroy requested, DinD removed, destroyed
        Page all = awaitEntries(Map.of("rangeId", rangeId), 11);
        assertThat(all.items()).extracting(AuditEntry::at).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(all.items()).allSatisfy(entry -> {
            assertThat(entry.blueprintId()).isEqualTo(blueprintId);
            assertThat(entry.user()).isEqualTo(USER);
            assertThat(entry.outcome()).isEqualTo("OK");
            assertThat(entry.client()).isEqualTo("127.0.0.1");
        });
        assertThat(all.items()).filteredOn(entry -> entry.correlationId() != null).extracting(AuditEntry::action)
                .contains("RangeRequested", "VmStarted", "RangeDeployed");
        assertThat(all.items().get(0).action()).isEqualTo("RangeDestroyed");

        Page second = audit(Map.of("rangeId", rangeId, "page", "1", "size", "4"));
        assertThat(second).extracting(Page::page, Page::size, Page::total).containsExactly(1, 4, 11L);
        assertThat(second.items()).isEqualTo(all.items().subList(4, 8));
        assertThat(audit(Map.of("blueprintId", blueprintId, "action", "VmStarted")).total()).isEqualTo(2);
        assertThat(audit(Map.of("rangeId", rangeId, "from", before.toString(),
                "to", Instant.now().plusSeconds(60).toString())).total()).isEqualTo(11);
        assertThat(audit(Map.of("rangeId", rangeId, "to", before.toString())).total()).isZero();

        String[] lines = csv(Map.of("rangeId", rangeId)).split("\r\n");
        assertThat(lines).hasSize(12);
        assertThat(lines[0]).startsWith("at,user,action,rangeId,blueprintId,outcome,status,correlationId");
        assertThat(lines[1]).contains(",admin,RangeDestroyed," + rangeId + "," + blueprintId + ",OK,,");
    }

    @Test
    void theTimelineOfADeployedRangeShowsEveryStepAndAnUnknownRangeIsNotFound() {
        String rangeId = deploy(Map.of("blueprintId", register(sampleYaml("timed")), "name", "timed"))
                .expectStatus().isAccepted().expectBody(Accepted.class).returnResult().getResponseBody().rangeId();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);

        RangeTimeline.Timeline timeline = api.get().uri("/api/v1/ranges/{id}/timeline", rangeId).exchange()
                .expectStatus().isOk()
                .expectBody(RangeTimeline.Timeline.class).returnResult().getResponseBody();

        assertThat(timeline.rangeId()).isEqualTo(rangeId);
        assertThat(timeline.steps()).extracting(RangeTimeline.Step::step).containsExactlyInAnyOrder("CREATE_DIND",
                "DEPLOY", "CREATE_NETWORK", "CREATE_NETWORK", "SEED_IMAGES", "START_VM", "START_VM", "CONFIRM_RUNNING");
        assertThat(timeline.steps()).allSatisfy(step -> {
            assertThat(step.outcome()).isEqualTo("OK");
            assertThat(step.durationMs()).isNotNegative();
        });
        api.get().uri("/api/v1/ranges/{id}/timeline", "no-such-range").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void csvFieldsAreQuotedAndFormulasDefused() {
        anonymous.post().uri("/api/v1/ranges").headers(h -> h.setBasicAuth("=cmd|calc", "x"))
                .header("X-Correlation-Id", "a,\"b\"").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
                .exchange().expectStatus().isUnauthorized();
        awaitEntries(Map.of("user", "=cmd|calc"), 1);

        assertThat(csv(Map.of("user", "=cmd|calc"))).contains("\"'=cmd|calc\"").contains("\"a,\"\"b\"\"\"");
    }

    @Test
    void aMisspeltOrMalformedFilterIsRefused() {
        assertThat(errorFields(api.get().uri("/api/v1/audit?range=x&from=yesterday&size=0&outcome=meh").exchange()
                .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST))).containsExactly("range", "outcome", "from", "size");
    }
}

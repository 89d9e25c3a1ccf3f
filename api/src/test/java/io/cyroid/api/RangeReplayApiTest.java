package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.api.range.RangeHistory;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A range at any point of its history, and a redeploy of its recorded snapshot, on the fake engine. The real-engine
 * counterpart is io.cyroid.it.AuditReplayIT.
 */
class RangeReplayApiTest extends WithoutEngine {

    @Autowired
    JdbcTemplate jdbc;

    long storedEvents() {
        return Objects.requireNonNull(jdbc.queryForObject("select count(*) from DomainEventEntry", Long.class));
    }

    List<RangeHistory.Entry> events(String rangeId) {
        return api.get().uri("/api/v1/ranges/{id}/events", rangeId).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<RangeHistory.Entry>>() {
                }).returnResult().getResponseBody();
    }

    RangeView at(String rangeId, long sequence) {
        return api.get().uri("/api/v1/ranges/{id}/at/{sequence}", rangeId, sequence).exchange().expectStatus().isOk()
                .expectBody(RangeView.class).returnResult().getResponseBody();
    }

    RangeView live(String rangeId) {
        return api.get().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isOk()
                .expectBody(RangeView.class).returnResult().getResponseBody();
    }

    String deployed(String blueprintId, String name) {
        String rangeId = deploy(Map.of("blueprintId", blueprintId, "name", name)).expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody().rangeId();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        return rangeId;
    }

    @Test
    void aRangeAtEachOfItsEventsStartsRequestedAndEndsAsTheLiveRange() {
        String rangeId = deployed(register(sampleYaml("replayed-to-a-point")), "replayed");
        List<RangeHistory.Entry> events = events(rangeId);
        long last = events.get(events.size() - 1).sequence();

        RangeView first = at(rangeId, 0);
        assertThat(first.status()).isEqualTo(RangeStatus.REQUESTED);
        assertThat(first.version()).isZero();
        assertThat(first.dind()).isNull();
        assertThat(first.vms()).allSatisfy(vm -> assertThat(vm.status()).isEqualTo("PENDING"));
        assertThat(at(rangeId, 1).status()).isEqualTo(RangeStatus.PROVISIONING);
        assertThat(at(rangeId, last)).isEqualTo(live(rangeId)); // field for field, times included
        assertThat(at(rangeId, last).status()).isEqualTo(RangeStatus.DEPLOYED);

        api.get().uri("/api/v1/ranges/{id}/at/{sequence}", rangeId, last + 1).exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(errorFields(api.get().uri("/api/v1/ranges/{id}/at/-1", rangeId).exchange().expectStatus()
                .isBadRequest())).containsExactly("sequence");
        api.get().uri("/api/v1/ranges/no-such-range/at/0").exchange().expectStatus().isNotFound();

        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);
        List<RangeHistory.Entry> all = events(rangeId);
        assertThat(at(rangeId, all.get(all.size() - 1).sequence())).isEqualTo(live(rangeId));
        assertThat(at(rangeId, last)).extracting(RangeView::status).isEqualTo(RangeStatus.DEPLOYED);
    }

    @Test
    void aDestroyedRangeIsRedeployedFromItsSnapshotAndBothRangesLinkToEachOther() {
        String blueprintId = register(sampleYaml("redeployed"));
        String original = deployed(blueprintId, "original");
        api.delete().uri("/api/v1/ranges/{id}", original).exchange().expectStatus().isAccepted();
        awaitStatus(original, RangeStatus.DESTROYED);
        // the catalogue moves on: the redeploy still uses the snapshot the original was deployed from
        api.delete().uri("/api/v1/blueprints/{id}", blueprintId).exchange().expectStatus().isOk();

        Accepted again = api.post().uri("/api/v1/ranges/{id}/redeploy", original).exchange()
                .expectStatus().isAccepted().expectBody(Accepted.class).returnResult().getResponseBody();
        assertThat(again.rangeId()).isNotEqualTo(original);
        RangeView redeployed = awaitStatus(again.rangeId(), RangeStatus.DEPLOYED);
        assertThat(redeployed.redeployOf()).isEqualTo(original);
        assertThat(redeployed.name()).isEqualTo("original");
        assertThat(redeployed.blueprintId()).isEqualTo(blueprintId);
        assertThat(redeployed.blueprintVersion()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(live(original).redeployedAs()).containsExactly(again.rangeId()));
        assertThat(live(original).status()).isEqualTo(RangeStatus.DESTROYED);
        assertThat(events(original)).extracting(RangeHistory.Entry::type).last().isEqualTo("RangeRedeployed");

        Accepted named = api.post().uri("/api/v1/ranges/{id}/redeploy", original)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "second try")).exchange()
                .expectStatus().isAccepted().expectBody(Accepted.class).returnResult().getResponseBody();
        assertThat(awaitStatus(named.rangeId(), RangeStatus.DEPLOYED).name()).isEqualTo("second try");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(live(original).redeployedAs()).containsExactly(again.rangeId(), named.rangeId()));

        for (String rangeId : List.of(again.rangeId(), named.rangeId())) {
            api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
            awaitStatus(rangeId, RangeStatus.DESTROYED);
        }
    }

    @Test
    void aRedeployOfAnUnknownRangeOrUnderABadNameAppendsNothing() {
        long before = storedEvents();
        api.post().uri("/api/v1/ranges/no-such-range/redeploy").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(errorFields(api.post().uri("/api/v1/ranges/no-such-range/redeploy")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "../etc")).exchange()
                .expectStatus().isBadRequest())).containsExactly("name");
        assertThat(storedEvents()).isEqualTo(before);
    }
}

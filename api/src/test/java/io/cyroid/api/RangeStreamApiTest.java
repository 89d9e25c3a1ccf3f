package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeSummary;
import io.cyroid.messages.RangeView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;
import reactor.core.publisher.Flux;

/**
 * The streams a UI relies on, on the fake engine: ids on every message, resume after Last-Event-ID without a gap,
 * heartbeats, and a range's stream that ends after DESTROYED.
 */
@TestPropertySource(properties = "cyroid.api.stream-heartbeat=300ms")
class RangeStreamApiTest extends WithoutEngine {

    static final ParameterizedTypeReference<ServerSentEvent<RangeView>> VIEW = new ParameterizedTypeReference<>() {
    };
    static final ParameterizedTypeReference<ServerSentEvent<RangeSummary>> SUMMARY =
            new ParameterizedTypeReference<>() {
            };
    static final Duration WAIT = Duration.ofSeconds(60);

    Flux<ServerSentEvent<RangeView>> rangeStream(String rangeId, String lastEventId) {
        var request = api.get().uri("/api/v1/ranges/{id}/stream", rangeId).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange().expectStatus().isOk().returnResult(VIEW).getResponseBody();
    }

    Flux<ServerSentEvent<RangeSummary>> allStream(String lastEventId) {
        var request = api.get().uri("/api/v1/ranges/stream").accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange().expectStatus().isOk().returnResult(SUMMARY).getResponseBody();
    }

    String requested(String blueprintId, String name) {
        return deploy(Map.of("blueprintId", blueprintId, "name", name)).expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody().rangeId();
    }

    @Test
    void aRangeStreamResumedAfterAnyStateSendsEveryLaterStateThenEndsAfterDestroyed() {
        String rangeId = requested(register(sampleYaml("resumed-stream")), "resumed");
        RangeView deployed = awaitStatus(rangeId, RangeStatus.DEPLOYED);
        assertThat(deployed.version()).isGreaterThan(3);

        // a client that saw only the first state comes back: every state since, in order, no gap, then live
        List<ServerSentEvent<RangeView>> resumed = rangeStream(rangeId, "0")
                .filter(event -> event.data() != null)
                .takeUntil(event -> event.data().version() == deployed.version())
                .collectList().block(WAIT);
        assertThat(resumed).extracting(event -> event.data().version())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, deployed.version()).boxed().toList());
        assertThat(resumed).allSatisfy(event -> assertThat(event.id())
                .isEqualTo(String.valueOf(event.data().version())));
        assertThat(resumed.get(resumed.size() - 1).data()).isEqualTo(deployed);

        // a quiet range's stream still sends heartbeats; once DESTROYED is sent, the stream ends by itself
        Flux<ServerSentEvent<RangeView>> live = rangeStream(rangeId, String.valueOf(deployed.version()));
        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        List<ServerSentEvent<RangeView>> rest = live.timeout(WAIT).collectList().block(WAIT);
        assertThat(rest).isNotEmpty();
        assertThat(rest.get(rest.size() - 1).data().status()).isEqualTo(RangeStatus.DESTROYED);
        assertThat(rest).filteredOn(event -> event.data() != null)
                .allSatisfy(event -> assertThat(event.data().version()).isGreaterThan(deployed.version()));

        // a destroyed range's stream sends its last state and ends
        assertThat(rangeStream(rangeId, null).filter(event -> event.data() != null).collectList().block(WAIT))
                .singleElement().satisfies(event -> assertThat(event.data().status())
                        .isEqualTo(RangeStatus.DESTROYED));
    }

    @Test
    void aQuietStreamSendsHeartbeatComments() {
        String rangeId = requested(register(sampleYaml("quiet-stream")), "quiet");
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        List<ServerSentEvent<RangeView>> events = rangeStream(rangeId, null)
                .filter(event -> event.data() == null).take(2).collectList().block(WAIT);
        assertThat(events).hasSize(2).allSatisfy(event -> assertThat(event.comment()).isEqualTo("keep-alive"));
        List<ServerSentEvent<RangeSummary>> all = allStream(null)
                .filter(event -> event.data() == null).take(2).collectList().block(WAIT);
        assertThat(all).hasSize(2);
        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);
    }

    @Test
    void theAllRangesStreamResumesAfterItsLastIdWithEveryRangeChangedSince() {
        String blueprintId = register(sampleYaml("all-ranges-stream"));
        String first = requested(blueprintId, "first");
        awaitStatus(first, RangeStatus.DEPLOYED);

        // everything so far, oldest change first; the last id is where a client would resume
        List<ServerSentEvent<RangeSummary>> seen = allStream(null).filter(event -> event.data() != null)
                .takeUntil(event -> event.data().rangeId().equals(first)).collectList().block(WAIT);
        assertThat(seen).extracting(event -> Long.parseLong(event.id())).isSorted();
        assertThat(seen).allSatisfy(event -> assertThat(event.id())
                .isEqualTo(String.valueOf(event.data().position())));
        ServerSentEvent<RangeSummary> last = seen.get(seen.size() - 1);
        assertThat(last.data().status()).isEqualTo(RangeStatus.DEPLOYED);

        // while the client is away: a second range is deployed and the first destroyed
        String second = requested(blueprintId, "second");
        awaitStatus(second, RangeStatus.DEPLOYED);
        api.delete().uri("/api/v1/ranges/{id}", first).exchange().expectStatus().isAccepted();
        awaitStatus(first, RangeStatus.DESTROYED);

        List<ServerSentEvent<RangeSummary>> resumed = allStream(last.id()).filter(event -> event.data() != null)
                .take(2).collectList().block(WAIT);
        assertThat(resumed).extracting(event -> event.data().rangeId() + " " + event.data().status())
                .containsExactly("second DEPLOYED".replace("second", second),
                        "first DESTROYED".replace("first", first));
        assertThat(resumed).allSatisfy(event -> assertThat(Long.parseLong(event.id()))
                .isGreaterThan(Long.parseLong(last.id())));

        // and then live: a change after the reconnect arrives on the same stream
        Flux<ServerSentEvent<RangeSummary>> live = allStream(resumed.get(1).id());
        api.delete().uri("/api/v1/ranges/{id}", second).exchange().expectStatus().isAccepted();
        assertThat(live.filter(event -> event.data() != null)
                .takeUntil(event -> event.data().status() == RangeStatus.DESTROYED).collectList().block(WAIT))
                .extracting(event -> event.data().rangeId()).containsOnly(second);
    }
}

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Ten ranges of the sample requested at once, three of them destroyed while they provision: each ends in the state
 * its commands call for, and nothing is left once all are destroyed.
 */
class BurstIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(300);

    @Test
    void tenRangesAtOnceWithDestroysInterleavedAllEndRight() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-burst"));
        long start = System.nanoTime();
        List<CompletableFuture<String>> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            requests.add(CompletableFuture.supplyAsync(() -> api.requestRange(blueprintId, "burst-" + n)));
        }
        List<String> ranges = new ArrayList<>();
        for (CompletableFuture<String> request : requests) {
            ranges.add(request.get());
        }
        List<String> destroyedEarly = List.of(ranges.get(1), ranges.get(4), ranges.get(7));
        for (String rangeId : destroyedEarly) {
            api.destroy(rangeId);
        }
        for (String rangeId : ranges) {
            if (destroyedEarly.contains(rangeId)) {
                api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
                RealEngine.assertNothingLeft(rangeId);
            } else {
                api.awaitStatus(rangeId, "DEPLOYED", TIMEOUT);
                RangeDeploymentIT.assertDeployHistory(RangeDeploymentIT.types(api.events(rangeId)));
            }
        }
        System.out.printf("burst: 10 ranges requested at once, 3 destroyed early: all settled in %d ms%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        for (String rangeId : ranges) {
            if (!destroyedEarly.contains(rangeId)) {
                api.destroy(rangeId);
            }
        }
        for (String rangeId : ranges) {
            api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
            RealEngine.assertNothingLeft(rangeId);
            assertThat(api.count(rangeId, "RangeDestroyed")).isEqualTo(1);
        }
        JsonNode health = api.web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode processors = health.get("components").get("eventProcessors");
        assertThat(processors.get("status").asText()).isEqualTo("UP");
        assertThat(processors.get("details").get("ProvisioningSagaProcessor").get("running").asBoolean()).isTrue();
        assertThat(processors.get("details").get("engineJobs").get("running").asInt()).isZero();
    }
}

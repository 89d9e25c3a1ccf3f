package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import io.cyroid.messages.RangeStatus;
import io.cyroid.provisioning.docker.CyroidLabels;
import io.cyroid.provisioning.docker.DockerClients;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * The range API on the real Docker engine: what {@link RangeApiTest} checks on the fake engine, here with the
 * docker-java adapter, the host's real size, and what the engine holds afterwards.
 */
class RangeLifecycleIT extends ApiTestSupport {

    @Autowired
    DockerClients docker;

    @Test
    void aDeployedRangeIsFollowedLiveThenDestroyedOnceAndLeavesNothingOnTheEngine() {
        FollowedRange range = aRangeIsDeployedFollowedLiveThenDestroyedOnce("sse-sample");

        assertThat(range.streamed().get(0).status()).as("the first event is the state when the stream opened")
                .isIn(RangeStatus.REQUESTED, RangeStatus.PROVISIONING);
        assertThat(range.streamed().size()).as("later states follow the first").isGreaterThan(1);
        assertThat(containersOf(range.rangeId())).isEmpty();
    }

    @Test
    void aBlueprintLargerThanTheRealDockerHostIsRefused() {
        String id = register(sampleYaml("too-big")
                .replace("resources: {memory: 2g, cpus: 2}", "resources: {memory: 4096g, cpus: 1000}"));

        deploy(Map.of("blueprintId", id, "name", "monday")).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("resources.cpus")
                .jsonPath("$.errors[1].field").isEqualTo("resources.memory");
    }

    @Test
    void healthIsUpWithTheRealEngine() {
        anonymous.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    List<Container> containersOf(String rangeId) {
        return docker.host().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CyroidLabels.RANGE_ID, rangeId)).exec();
    }
}

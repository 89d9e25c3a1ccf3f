package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A deployment that outlives DEPLOY_TIMEOUT is failed by its persisted deadline (db-scheduler in the event store's
 * database) and compensated like a failed step. The sample range needs well over a second here, so a deadline of
 * 300 ms always passes first.
 */
class DeployDeadlineIT extends ServerOnRealEngine {

    @DynamicPropertySource
    static void shortDeadline(DynamicPropertyRegistry registry) {
        registry.add("cyroid.provisioning.deploy-timeout", () -> "300ms");
        registry.add("db-scheduler.polling-interval", () -> "100ms");
    }

    @Test
    void aRangeNotDeployedInTimeFailsWithTimeoutAndLeavesNothing() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-deadline"));
        String rangeId = api.requestRange(blueprintId, "too-slow");

        JsonNode failed = api.awaitStatus(rangeId, "FAILED", Duration.ofSeconds(120));

        assertThat(failed.get("failureReason").asText())
                .isEqualTo("TIMEOUT: not deployed within 300 ms (DEPLOY_TIMEOUT)");
        api.awaitEvent(rangeId, "DinDRemoved", Duration.ofSeconds(120));
        RealEngine.assertNothingLeft(rangeId);
        assertThat(RangeDeploymentIT.types(api.events(rangeId))).doesNotContain("RangeDeployed");
    }
}

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A step that fails on the real engine fails the range, names the step, and leaves no Docker object behind. */
class CompensationIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Test
    void anImageMissingOnTheHostFailsTheSeedStepAndRemovesTheDinD() throws Exception {
        String blueprintId = api.registerBlueprint("""
                name: it-missing-image
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                vms:
                  - {name: ghost, image: "cyroid/not-on-this-host:1", interfaces: [{network: lan, ip: 10.0.1.10}]}
                """);
        String rangeId = api.requestRange(blueprintId, "missing-image");

        JsonNode failed = api.awaitStatus(rangeId, "FAILED", TIMEOUT);

        assertThat(failed.get("failureReason").asText())
                .startsWith("SEED_IMAGES:")
                .contains("cyroid/not-on-this-host:1");
        assertCompensatedThenDestroyable(rangeId);
    }

    @Test
    void aVmThatDiesAtStartFailsTheStartStepAndRemovesEverythingOtherVmsIncluded() throws Exception {
        String blueprintId = api.registerBlueprint("""
                name: it-dying-vm
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                vms:
                  - {name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}],
                     command: [sleep, infinity]}
                  - {name: crash, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.11}],
                     command: [sh, -c, "echo cannot start; exit 3"]}
                """);
        String rangeId = api.requestRange(blueprintId, "dying-vm");

        JsonNode failed = api.awaitStatus(rangeId, "FAILED", TIMEOUT);

        assertThat(failed.get("failureReason").asText())
                .startsWith("START_VM:")
                .contains("crash")
                .contains("exited with code 3")
                .contains("cannot start");
        // the VMs start side by side: whether web was recorded started before crash failed is a matter of timing
        // (routes are set after each start), so only the failure is certain; either way nothing of web may stay
        assertThat(RangeDeploymentIT.types(api.events(rangeId))).contains("RangeDeploymentFailed");
        assertCompensatedThenDestroyable(rangeId);
    }

    private void assertCompensatedThenDestroyable(String rangeId) throws InterruptedException {
        api.awaitEvent(rangeId, "DinDRemoved", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
        assertThat(api.range(rangeId).get("status").asText()).isEqualTo("FAILED");

        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
    }
}

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The reported wedge: a step that cannot finish in 30 s (one VM on 500 networks: START_VM connects 499 of them)
 * used to be interrupted by Axon's handler timeout and retried for ever, blocking its processor segment. Now it runs
 * on the engine worker: its step time limit fails the range, the compensation leaves nothing, a DELETE during such a
 * step wins, and a range requested meanwhile deploys normally.
 */
class LongStepIT extends ServerOnRealEngine {

    static final int NETWORKS = 500;
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("cyroid.blueprint.max-networks", () -> String.valueOf(NETWORKS));
        registry.add("cyroid.blueprint.max-interfaces-per-vm", () -> String.valueOf(NETWORKS));
        registry.add("cyroid.provisioning.step-timeouts.create-network", () -> "10m");
        registry.add("cyroid.provisioning.step-timeouts.start-vm", () -> "30s");
    }

    static String wideBlueprint(String name) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\nnetworks:\n");
        List<String> nics = new ArrayList<>();
        for (int i = 0; i < NETWORKS; i++) {
            String prefix = "10." + (1 + i / 250) + "." + (i % 250);
            yaml.append("  - {name: n").append(i).append(", subnet: ").append(prefix).append(".0/24, gateway: ")
                    .append(prefix).append(".1}\n");
            nics.add("{network: n" + i + ", ip: " + prefix + ".10}");
        }
        yaml.append("vms:\n  - {name: wide, image: \"cyroid/vm-busybox:latest\", interfaces: [")
                .append(String.join(", ", nics)).append("]}\nresources: {memory: 1g, cpus: 1}\n");
        return yaml.toString();
    }

    @Test
    void aStepPastItsLimitFailsTheRangeAndADeleteDuringOneWinsWhileOtherRangesDeploy() throws Exception {
        String wide = api.registerBlueprint(wideBlueprint("it-wide"));
        String sample = api.registerBlueprint(sampleBlueprint("it-beside-wide"));

        String timesOut = api.requestRange(wide, "wide-times-out");
        String deleted = api.requestRange(wide, "wide-deleted");
        String healthy = api.requestRange(sample, "beside-wide");

        api.awaitStatus(healthy, "DEPLOYED", TIMEOUT);

        // the second wide range is deleted in the middle of its long START_VM
        api.awaitEvent(deleted, "ImagesSeeded", TIMEOUT);
        awaitAllNetworks(deleted);
        api.destroy(deleted);
        api.awaitStatus(deleted, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(deleted);

        JsonNode failed = api.awaitStatus(timesOut, "FAILED", TIMEOUT);
        assertThat(failed.get("failureReason").asText()).startsWith("START_VM:").contains("30 s");
        api.awaitEvent(timesOut, "DinDRemoved", TIMEOUT);
        RealEngine.assertNothingLeft(timesOut);
        assertThat(api.count(timesOut, "RangeDeploymentFailed")).isEqualTo(1);

        // a range requested after all this deploys too
        String after = api.requestRange(sample, "after-wide");
        api.awaitStatus(after, "DEPLOYED", TIMEOUT);

        for (String rangeId : List.of(timesOut, healthy, after)) {
            api.destroy(rangeId);
        }
        for (String rangeId : List.of(timesOut, healthy, after)) {
            api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
            RealEngine.assertNothingLeft(rangeId);
        }
    }

    private void awaitAllNetworks(String rangeId) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> api.count(rangeId, "NetworkCreated") == NETWORKS);
    }
}

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * After the host engine restarts, every range is DEPLOYED again or DEGRADED with a reason.
 *
 * <p>With {@code CYROID_IT_RESTART_ENGINE=true} the engine is really restarted ({@code scripts/restart-engine.sh}:
 * dockerd stops gracefully, which stops every container, and starts again), so the server sees its event stream
 * break and the engine come back. That stops every container on the engine, also those of anyone else using it, so
 * it is for a machine of its own only. Without it, the test does to the ranges' DinDs what an engine restart does to
 * containers without a restart policy: {@code docker stop} (SIGTERM, then SIGKILL after 10 s), while the engine
 * itself stays up.
 */
class HostEngineRestartIT extends ServerOnRealEngine {

    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(180);
    static final boolean REAL_RESTART = "true".equals(System.getenv("CYROID_IT_RESTART_ENGINE"));

    @DynamicPropertySource
    static void reconcileQuickly(DynamicPropertyRegistry registry) {
        registry.add("cyroid.reconcile.interval", () -> "3s");
    }

    @Test
    void afterTheHostEngineRestartsEveryRangeIsDeployedAgainOrDegradedWithAReason() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-engine-restart"));
        List<String> ranges = List.of(api.requestRange(blueprintId, "restart-1"),
                api.requestRange(blueprintId, "restart-2"));
        for (String rangeId : ranges) {
            api.awaitStatus(rangeId, "DEPLOYED", DEPLOY_TIMEOUT);
        }
        try {
            long start = System.nanoTime();
            if (REAL_RESTART) {
                restartEngine();
            } else {
                for (String rangeId : ranges) {
                    RealEngine.HOST.stopContainerCmd("cyroid-range-" + rangeId).withTimeout(10).exec();
                }
            }
            System.out.printf("%s took %d ms%n", REAL_RESTART ? "host engine restart" : "docker stop of the DinDs",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());

            List<String> outcomes = new ArrayList<>();
            for (String rangeId : ranges) {
                api.awaitEvent(rangeId, "RangeDegraded", Duration.ofSeconds(60));
                JsonNode range = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> api.range(rangeId), r -> settled(r));
                String status = range.get("status").asText();
                outcomes.add(rangeId + " " + status + (status.equals("DEGRADED")
                        ? " (" + range.get("statusReason").asText() + ")" : ""));
                if (status.equals("DEGRADED")) {
                    assertThat(range.get("statusReason").asText()).isNotBlank();
                }
            }
            System.out.printf("after the %s, in %d ms: %s%n", REAL_RESTART ? "engine restart" : "DinD stops",
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), outcomes);
            // on this machine the engine and the DinDs come back: every range is recovered
            for (String rangeId : ranges) {
                JsonNode range = api.range(rangeId);
                assertThat(range.get("status").asText()).as("range %s", rangeId).isEqualTo("DEPLOYED");
                JsonNode degraded = null;
                for (JsonNode event : api.events(rangeId)) {
                    if (event.get("type").asText().equals("RangeDegraded")) {
                        degraded = event;
                    }
                }
                assertThat(degraded.get("payload").get("reason").asText()).startsWith("DinD exited with code ");
                if (REAL_RESTART) {
                    assertThat(degraded.get("payload").get("reason").asText())
                            .endsWith("(the host engine restarted)");
                }
                assertThat(RangeDeploymentIT.types(api.events(rangeId))).endsWith("RangeRecovered");
                RealEngine.ExecResult ps = RealEngine.exec("cyroid-range-" + rangeId, "docker", "ps", "--format",
                        "{{.Names}}");
                assertThat(ps.output().lines().sorted().toList()).containsExactly("db", "web");
            }
        } finally {
            for (String rangeId : ranges) {
                api.destroy(rangeId);
            }
            for (String rangeId : ranges) {
                api.awaitStatus(rangeId, "DESTROYED", DEPLOY_TIMEOUT);
                RealEngine.assertNothingLeft(rangeId);
            }
        }
    }

    /** DEPLOYED again with every VM running (a range left DEGRADED fails the wait, and says so in the output). */
    private static boolean settled(JsonNode range) {
        String status = range.get("status").asText();
        if (status.equals("DEPLOYED")) {
            return StreamSupport.stream(range.get("vms").spliterator(), false)
                    .allMatch(vm -> vm.get("status").asText().equals("RUNNING"));
        }
        return false;
    }

    private static void restartEngine() throws Exception {
        Path script = repositoryRoot().resolve("scripts/restart-engine.sh");
        Process process = new ProcessBuilder("bash", script.toString()).inheritIO().start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("restart-engine.sh finished").isTrue();
        assertThat(process.exitValue()).as("restart-engine.sh exit code").isZero();
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("scripts/restart-engine.sh"))) {
                return dir;
            }
        }
        throw new AssertionError("scripts/restart-engine.sh not found above " + Path.of("").toAbsolutePath());
    }
}

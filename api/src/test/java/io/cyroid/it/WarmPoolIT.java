package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The warm pool on the real engine, through the packaged server: warm DinDs wait with the shared images in them, a
 * deploy takes one (its range id is the warm DinD's), gets the blueprint's limits, and the pool refills with new
 * ones; a DinD is never handed out twice; after a restart the waiting ones are adopted again and a taken one stays
 * its range's; destroy removes the taken DinD like any other. The control: with the pool empty (size 0) a deploy
 * gets a DinD made for it.
 */
class WarmPoolIT {

    static final String PASSWORD = "pool-secret";
    static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Test
    void aDeployTakesAWarmDindOnceAndThePoolRefillsAndSurvivesARestart() throws Exception {
        Path data = ServerOnRealEngine.tempDir(Path.of(System.getProperty("java.io.tmpdir")), "cyroid-pool");
        String node = "pool-it-" + UUID.randomUUID();
        ServerProcess server = new ServerProcess(CrashRecoveryIT.jar(), data, Map.of(
                "CYROID_ADMIN_PASSWORD", PASSWORD,
                "CYROID_SAMPLE_BLUEPRINT", "true",
                "CYROID_POOL_SIZE", "2",
                "CYROID_NODE_ID", node,
                "CYROID_SOCKET_DIR", ServerOnRealEngine.tempDir(Path.of("/tmp"), "cys").toString()));
        Set<String> seen = new HashSet<>();
        List<String> ranges = new ArrayList<>();
        try {
            server.start();
            ApiClient api = new ApiClient("http://127.0.0.1:" + server.port(), PASSWORD);
            JsonNode pool = awaitReady(api, 2);
            assertThat(pool.at("/shared/state").asText()).isEqualTo("READY");
            assertThat(pool.at("/shared/images").toString()).contains("cyroid/vm-busybox:latest");
            List<String> waiting = waitingIds(pool);
            seen.addAll(waiting);

            String sample = api.web.get().uri("/api/v1/blueprints").exchange().expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody().get(0).get("id").asText();
            long begin = System.nanoTime();
            String warm = api.requestRange(sample, "warm-1");
            ranges.add(warm);
            assertThat(waiting).as("the range's id is a waiting DinD's").contains(warm);
            api.awaitStatus(warm, "DEPLOYED", TIMEOUT);
            System.out.printf("warm deploy of the sample: %d ms%n", (System.nanoTime() - begin) / 1_000_000);
            var limits = RealEngine.HOST.inspectContainerCmd("cyroid-range-" + warm).exec().getHostConfig();
            assertThat(limits.getMemory()).as("the sample's 2g").isEqualTo(2L * 1024 * 1024 * 1024);
            assertThat(limits.getCpuQuota()).as("the sample's 2 CPUs").isEqualTo(200_000L);

            pool = awaitReady(api, 2);
            List<String> refilled = waitingIds(pool);
            assertThat(refilled).as("never handed out twice").doesNotContain(warm);
            seen.addAll(refilled);
            assertThat(pool.get("taken").asLong()).isEqualTo(1);

            server.stop();
            server.start();
            pool = awaitReady(api, 2);
            assertThat(waitingIds(pool)).as("waiting DinDs adopted after the restart")
                    .containsExactlyInAnyOrderElementsOf(refilled);
            assertThat(api.range(warm).get("status").asText()).isEqualTo("DEPLOYED");

            String second = api.requestRange(sample, "warm-2");
            ranges.add(second);
            assertThat(refilled).contains(second);
            api.awaitStatus(second, "DEPLOYED", TIMEOUT);

            for (String range : ranges) {
                api.destroy(range);
                api.awaitStatus(range, "DESTROYED", TIMEOUT);
                RealEngine.assertNothingLeft(range);
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- server log ---\n" + server.tail(), e);
        } finally {
            server.stop();
            // waiting DinDs stay when a server stops (the next start adopts them): this test's go now
            seen.addAll(ranges);
            seen.forEach(RealEngine::removeLeftovers);
            // and the ones it made after the test last looked (a refill after the last take)
            RealEngine.HOST.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of("cyroid.pool-node", node)).exec()
                    .forEach(c -> RealEngine.removeLeftovers(c.getLabels().get("cyroid.range-id")));
        }
    }

    @Test
    void withNoWarmDindADeployGetsADindMadeForIt() throws Exception {
        Path data = ServerOnRealEngine.tempDir(Path.of(System.getProperty("java.io.tmpdir")), "cyroid-pool0");
        ServerProcess server = new ServerProcess(CrashRecoveryIT.jar(), data, Map.of(
                "CYROID_ADMIN_PASSWORD", PASSWORD,
                "CYROID_SAMPLE_BLUEPRINT", "true",
                "CYROID_POOL_SIZE", "0",
                "CYROID_SOCKET_DIR", ServerOnRealEngine.tempDir(Path.of("/tmp"), "cys").toString()));
        String range = null;
        try {
            server.start();
            ApiClient api = new ApiClient("http://127.0.0.1:" + server.port(), PASSWORD);
            JsonNode pool = pool(api);
            assertThat(pool.get("enabled").asBoolean()).isFalse();
            String sample = api.web.get().uri("/api/v1/blueprints").exchange().expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody().get(0).get("id").asText();
            range = api.requestRange(sample, "cold");
            api.awaitStatus(range, "DEPLOYED", TIMEOUT);
            assertThat(RealEngine.HOST.inspectContainerCmd("cyroid-range-" + range).exec().getConfig().getLabels())
                    .doesNotContainKey("cyroid.pool-node");
            api.destroy(range);
            api.awaitStatus(range, "DESTROYED", TIMEOUT);
            RealEngine.assertNothingLeft(range);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- server log ---\n" + server.tail(), e);
        } finally {
            server.stop();
            if (range != null) {
                RealEngine.removeLeftovers(range);
            }
        }
    }

    private static JsonNode pool(ApiClient api) {
        return api.web.get().uri("/api/v1/pool").exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
    }

    private static JsonNode awaitReady(ApiClient api, int size) {
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> pool(api), p -> p.get("ready").asInt() == size && p.get("warming").asInt() == 0);
    }

    private static List<String> waitingIds(JsonNode pool) {
        List<String> ids = new ArrayList<>();
        pool.get("waiting").forEach(w -> ids.add(w.get("rangeId").asText()));
        return ids;
    }
}

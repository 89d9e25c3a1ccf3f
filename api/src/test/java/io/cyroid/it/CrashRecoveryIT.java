package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The packaged server is SIGKILLed right after it accepted a deploy, or in the middle of provisioning: the accepted
 * command's events are still in the event store after a restart, on the embedded store and on PostgreSQL, and the
 * provisioning saga picks up where it was (repeating the unfinished step) and deploys the range.
 */
class CrashRecoveryIT {

    static final String PASSWORD = "crash-secret";
    static final Duration TIMEOUT = Duration.ofSeconds(180);

    @ParameterizedTest(name = "event store {0}, killed when {1}")
    @CsvSource({"embedded, accepted", "postgresql, accepted", "embedded, provisioning", "postgresql, provisioning"})
    void eventsOfAnAcceptedCommandSurviveASigkillAndTheDeployResumes(String store, String killPoint)
            throws Exception {
        Path data = ServerOnRealEngine.tempDir(Path.of(System.getProperty("java.io.tmpdir")), "cyroid-crash");
        Map<String, String> env = new HashMap<>(Map.of(
                "CYROID_ADMIN_PASSWORD", PASSWORD,
                "CYROID_SAMPLE_BLUEPRINT", "true",
                "CYROID_SOCKET_DIR", ServerOnRealEngine.tempDir(Path.of("/tmp"), "cys").toString()));
        // the killed server's PostgreSQL outlives it: the restarted server must find the events there
        PostgreSQLContainer<?> postgres = null;
        if (store.equals("postgresql")) {
            postgres = TestPostgres.started(getClass().getSimpleName());
            env.put("SPRING_DATASOURCE_URL", postgres.getJdbcUrl());
            env.put("SPRING_DATASOURCE_USERNAME", postgres.getUsername());
            env.put("SPRING_DATASOURCE_PASSWORD", postgres.getPassword());
        }
        ServerProcess server = new ServerProcess(jar(), data, env);
        String rangeId = null;
        try {
            server.start();
            ApiClient api = new ApiClient("http://127.0.0.1:" + server.port(), PASSWORD);
            String sample = api.web.get().uri("/api/v1/blueprints").exchange().expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody().get(0).get("id").asText();
            rangeId = api.requestRange(sample, "crash-" + store);
            if (killPoint.equals("provisioning")) {
                api.awaitEvent(rangeId, "DinDCreated", TIMEOUT);
            }

            server.kill();
            server.start();

            JsonNode history = api.events(rangeId);
            assertThat(history.get(0).get("type").asText()).isEqualTo("RangeRequested");
            assertThat(history.get(0).get("user").asText()).isEqualTo("admin");
            JsonNode deployed = api.awaitStatus(rangeId, "DEPLOYED", TIMEOUT);
            assertThat(deployed.get("vms")).allSatisfy(vm -> assertThat(vm.get("status").asText())
                    .isEqualTo("RUNNING"));
            RangeDeploymentIT.assertDeployHistory(RangeDeploymentIT.types(api.events(rangeId)));

            api.destroy(rangeId);
            api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
            RealEngine.assertNothingLeft(rangeId);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- server log ---\n" + server.tail(), e);
        } finally {
            server.stop();
            if (rangeId != null) {
                RealEngine.removeLeftovers(rangeId);
            }
            if (postgres != null) {
                postgres.stop();
            }
        }
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("cyroid.jar", "target/cyroid-api.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged server (mvn verify builds it before the integration tests)").exists();
        return jar;
    }
}

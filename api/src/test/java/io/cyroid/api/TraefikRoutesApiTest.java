package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.messages.RangeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** The Traefik route file of a range follows it through the running server's own processor (fake engine). */
class TraefikRoutesApiTest extends WithoutEngine {

    @Value("${cyroid.traefik.dynamic-dir}")
    Path folder;

    @Test
    void theRouteFileAppearsWhenTheRangeIsDeployedAndGoesWithIt() throws Exception {
        assertThat(folder.resolve("cyroid-api.yml")).exists();
        String blueprintId = register(sampleYaml("traefik-routes"));
        String rangeId = deploy(Map.of("blueprintId", blueprintId, "name", "routed")).expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("rangeId").toString();
        Path file = folder.resolve("range-" + rangeId + ".yml");
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        assertThat(Files.readString(file))
                .contains("/range/" + rangeId + "/vm/web", "/api/v1/ranges/" + rangeId + "/vms/web/console")
                .contains("/range/" + rangeId + "/vm/db", "/api/v1/ranges/" + rangeId + "/vms/db/console");

        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file));
    }
}

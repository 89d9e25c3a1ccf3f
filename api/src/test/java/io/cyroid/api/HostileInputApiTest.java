package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Hostile blueprints, each class refused with a 400 naming the limit, nothing appended, and the server still
 * answering afterwards. (Body size: ApiConventionsTest, 413; YAML aliases, counts of VMs, networks and interfaces,
 * names: BlueprintApiTest and the validator's tests; the range request: RangeApiTest.)
 */
class HostileInputApiTest extends WithoutEngine {

    @Autowired
    JdbcTemplate jdbc;

    long storedEvents() {
        return Objects.requireNonNull(jdbc.queryForObject("select count(*) from DomainEventEntry", Long.class));
    }

    WebTestClient.ResponseSpec post(String body, String type) {
        return api.post().uri("/api/v1/blueprints").contentType(MediaType.parseMediaType(type)).bodyValue(body)
                .exchange();
    }

    @Test
    void tooManyEnvironmentEntriesAreRefusedNamingTheLimit() {
        String env = IntStream.range(0, 129).mapToObj(i -> "VAR_" + i + ": x").collect(Collectors.joining(", "));
        String yaml = sampleYaml("env-flood").replace("env: {ROLE: web}", "env: {" + env + "}");
        assertThat(yaml).contains("VAR_128");
        long before = storedEvents();
        var response = post(yaml, "application/yaml").expectStatus().isBadRequest();
        assertThat(errorFields(response)).containsExactly("vms[0].env");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void deeplyNestedDocumentsAreRefusedBeforeTheyAreRead() {
        long before = storedEvents();
        // YAML: a VM's env nested far deeper than any blueprint needs
        StringBuilder nested = new StringBuilder("name: deep\nvms:\n  - name: web\n    env:\n");
        String indent = "      ";
        for (int i = 0; i < 20; i++) {
            nested.append(indent).append("k").append(i).append(":\n");
            indent += "  ";
        }
        nested.append(indent).append("v: x\n");
        assertThat(errorFields(post(nested.toString(), "application/yaml").expectStatus().isBadRequest()))
                .singleElement().asString().startsWith("vms[0].env.k0");
        // JSON: fifty thousand brackets
        String brackets = "[".repeat(50_000) + "]".repeat(50_000);
        assertThat(errorFields(post(brackets, "application/json").expectStatus().isBadRequest()))
                .containsExactly("body");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void theServerStillAnswersAfterAFloodOfRefusedInput() {
        String deep = "[".repeat(50_000) + "]".repeat(50_000);
        String alias = "name: a\nnetworks: &n []\nvms: *n\n";
        // threads of the test's own: the server shares this JVM and its global bounded-elastic pool
        var flood = Schedulers.newBoundedElastic(12, 100, "hostile-flood");
        List<Integer> statuses = Flux.range(0, 60).parallel(12).runOn(flood)
                .map(i -> switch (i % 3) {
                    case 0 -> post(deep, "application/json").returnResult(String.class).getStatus().value();
                    case 1 -> post(alias, "application/yaml").returnResult(String.class).getStatus().value();
                    default -> api.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON)
                            .bodyValue("{\"name\": \"x\", \"nmae\": 1}").exchange().returnResult(String.class)
                            .getStatus().value();
                }).sequential().collectList().doFinally(signal -> flood.dispose()).block();
        assertThat(statuses).hasSize(60).containsOnly(400);
        api.get().uri("/api/v1/ranges").exchange().expectStatus().isOk();
        register(sampleYaml("after-the-flood"));
    }
}

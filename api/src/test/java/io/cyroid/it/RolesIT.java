package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Who may do what, on a real range: an instructor deploys it, the trainee assigned to it restarts a VM on the real
 * engine, another trainee and an auditor are refused (nothing appended), the auditor reads it, the instructor
 * destroys it.
 */
class RolesIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final String SECRET = "a long passphrase";

    ApiClient as(String user, String role) {
        api.web.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", user, "password", SECRET, "roles", List.of(role))).exchange()
                .expectStatus().isCreated();
        return new ApiClient("http://127.0.0.1:" + port, user, SECRET);
    }

    @Test
    void aTraineeUsesTheRangeAssignedToThemAndNothingElse() {
        ApiClient instructor = as("ines", "INSTRUCTOR");
        ApiClient trainee = as("tara", "TRAINEE");
        ApiClient stranger = as("otto", "TRAINEE");
        ApiClient auditor = as("audrey", "AUDITOR");

        String blueprint = instructor.registerBlueprint("""
                name: it-roles
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                vms:
                  - {name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}],
                     command: [sleep, infinity]}
                """);
        String range = instructor.requestRange(blueprint, "roles-class");
        api.requested.add(range);
        instructor.awaitStatus(range, "DEPLOYED", TIMEOUT);
        int events = api.events(range).size();

        assertThat(trainee.vmAction(range, "web", "restart")).isEqualTo(403);
        instructor.web.put().uri("/api/v1/ranges/{id}/assignments/tara", range).exchange().expectStatus().isOk();
        int assigned = events + 1;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> trainee.web.get().uri("/api/v1/ranges/{id}", range).exchange()
                        .returnResult(String.class).getStatus().value() == 200);

        // the trainee restarts a VM on the real engine
        assertThat(trainee.vmAction(range, "web", "restart")).isEqualTo(202);
        trainee.awaitVm(range, "web", "RUNNING", TIMEOUT);
        assertThat(api.events(range).size()).isGreaterThan(assigned);
        int afterRestart = api.events(range).size();

        // refused: nothing appended
        assertThat(stranger.vmAction(range, "web", "stop")).isEqualTo(403);
        assertThat(auditor.vmAction(range, "web", "stop")).isEqualTo(403);
        trainee.web.delete().uri("/api/v1/ranges/{id}", range).exchange().expectStatus().isForbidden();
        auditor.web.delete().uri("/api/v1/ranges/{id}", range).exchange().expectStatus().isForbidden();
        assertThat(api.events(range).size()).isEqualTo(afterRestart);
        assertThat(stranger.json("/api/v1/ranges").size()).isZero();

        // the auditor reads the range and the audit, the trainee does not read the audit
        JsonNode seen = auditor.range(range);
        assertThat(seen.get("assignees")).extracting(JsonNode::asText).containsExactly("tara");
        assertThat(auditor.json("/api/v1/audit?rangeId=" + range + "&outcome=REFUSED").get("total").asLong())
                .isGreaterThanOrEqualTo(4);
        trainee.web.get().uri("/api/v1/audit").exchange().expectStatus().isForbidden();

        instructor.destroy(range);
        instructor.awaitStatus(range, "DESTROYED", TIMEOUT);
    }
}

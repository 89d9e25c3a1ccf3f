package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cyroid.api.ConsoleClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The terminal console on a real VM: a shell in the VM through the range's inner engine, typed into over a
 * WebSocket with HTTP Basic; resize; closing or idling kills the shell and what it started; refusals.
 */
@TestPropertySource(properties = "cyroid.console.idle-timeout=6s")
class ConsoleIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SECRET = "a long passphrase";
    static final String BLUEPRINT = """
            name: it-console
            networks: [{name: lan, subnet: 10.0.9.0/24, gateway: 10.0.9.1}]
            vms:
              - {name: box, image: "cyroid/vm-busybox:latest", hostname: console-vm,
                 interfaces: [{network: lan, ip: 10.0.9.10}], command: ["sleep", "infinity"]}
            """;

    ConsoleClient console(String rangeId, String user, String password) {
        return ConsoleClient.open("http://127.0.0.1:" + port, rangeId, "box", user, password);
    }

    WebTestClient.ResponseSpec upgrade(WebTestClient client, String rangeId) {
        return client.get().uri("/api/v1/ranges/{id}/vms/box/console", rangeId)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .exchange();
    }

    /** The VM's processes other than its own command and this look at them: {@code pid args} lines. */
    static List<String> shellProcesses(String dind) throws InterruptedException {
        String ps = RealEngine.execInVm(dind, "box", "ps", "-o", "pid,args").output();
        return Arrays.stream(ps.split("\n")).map(String::strip)
                .filter(line -> line.endsWith(" sh") || line.contains("sleep 4321"))
                .toList();
    }

    @Test
    void aShellInTheVmTypedIntoResizedAndKilledWhenClosedOrIdle() throws Exception {
        String rangeId = api.requestRange(api.registerBlueprint(BLUEPRINT), "console");
        JsonNode range = api.awaitStatus(rangeId, "DEPLOYED", TIMEOUT);
        String dind = range.get("dind").get("containerName").asText();
        assertThat(shellProcesses(dind)).as("no shell before a console opens").isEmpty();

        ConsoleClient console = console(rangeId, "admin", PASSWORD);
        console.type("hostname\n");
        await().atMost(WAIT).until(() -> console.output().contains("console-vm"));

        console.control("{\"type\": \"resize\", \"cols\": 120, \"rows\": 40}");
        console.type("stty size\n");
        await().atMost(WAIT).until(() -> console.output().contains("40 120"));

        // a process the shell started in the background goes with it
        console.type("sleep 4321 &\n");
        await().atMost(WAIT).untilAsserted(() -> assertThat(shellProcesses(dind)).as("control: the console's"
                + " processes are seen while it is open").hasSize(2));
        console.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(shellProcesses(dind)).isEmpty());

        // idle: nothing typed for the timeout (6 s); its shell is killed as well
        ConsoleClient idle = console(rangeId, "admin", PASSWORD);
        idle.type("echo typed-$((6*7))\n");
        await().atMost(WAIT).until(() -> idle.output().contains("typed-42"));
        assertThat(shellProcesses(dind)).as("control: the idle console's shell").hasSize(1);
        await().atMost(WAIT).until(() -> idle.closeStatus() != null);
        assertThat(idle.closeStatus().getCode()).isEqualTo(4408);
        assertThat(idle.closeStatus().getReason()).contains("idle for PT6S");
        await().atMost(WAIT).untilAsserted(() -> assertThat(shellProcesses(dind)).isEmpty());

        // a trainee the range is not assigned to is refused before the upgrade
        api.web.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "tara", "password", SECRET, "roles", List.of("TRAINEE"))).exchange()
                .expectStatus().isCreated();
        WebTestClient trainee = new ApiClient("http://127.0.0.1:" + port, "tara", SECRET).web;
        upgrade(trainee, rangeId).expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("tara may not use range " + rangeId);
        ConsoleClient refused = console(rangeId, "tara", SECRET);
        await().atMost(WAIT).until(() -> refused.failure() != null);
        assertThat(refused.connected()).isFalse();

        // a stopped VM: a clear 409
        assertThat(api.vmAction(rangeId, "box", "stop")).isEqualTo(202);
        api.awaitVm(rangeId, "box", "STOPPED", WAIT);
        upgrade(api.web, rangeId).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").isEqualTo("VM box is STOPPED: start it to open its console");

        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
    }
}

package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.cyroid.api.console.ConsoleSocket;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The console's protocol on the fake console port (it echoes): bytes both ways, resize and malformed control
 * messages, the close that ends the shell, the idle timeout, the limit, and the refusals before the upgrade.
 * {@code io.cyroid.it.ConsoleIT} does the same on a real VM.
 */
@TestPropertySource(properties = {"cyroid.console.idle-timeout=3s", "cyroid.console.max-open=3",
    "cyroid.console.max-per-user=2", "cyroid.console.recheck=300ms"})
class ConsoleApiTest extends WithoutEngine {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SECRET = "trainee-secret";

    @LocalServerPort
    int port;

    @Autowired
    FakeVmConsoles consoles;

    final List<ConsoleClient> clients = new ArrayList<>();

    @Autowired
    ConsoleSocket sockets;

    /** Every console of a test is closed, its slot given back, before the next test counts them. */
    @AfterEach
    void closeClients() {
        clients.forEach(ConsoleClient::close);
        await().atMost(WAIT).until(() -> sockets.open() == 0);
    }

    ConsoleClient open(String rangeId, String vm) {
        return open(rangeId, vm, USER, PASSWORD);
    }

    ConsoleClient open(String rangeId, String vm, String user, String password) {
        ConsoleClient client = ConsoleClient.open("http://127.0.0.1:" + port, rangeId, vm, user, password);
        clients.add(client);
        return client;
    }

    String deployed(String name) {
        String blueprintId = register(sampleYaml(name));
        String rangeId = deploy(Map.of("blueprintId", blueprintId, "name", name)).expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("rangeId").toString();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        return rangeId;
    }

    WebTestClient.ResponseSpec upgrade(WebTestClient client, String rangeId, String vm) {
        return client.get().uri("/api/v1/ranges/{id}/vms/{vm}/console", rangeId, vm)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .exchange();
    }

    String problemDetail(WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody().get("detail").toString();
    }

    @Test
    void bytesGoBothWaysResizeIsAControlMessageAndClosingEndsTheShell() {
        String rangeId = deployed("console-echo");
        ConsoleClient console = open(rangeId, "web");
        await().atMost(WAIT).until(() -> console.output().contains("open web 80x24"));

        console.type("hostname\n");
        await().atMost(WAIT).until(() -> console.output().contains("echo:hostname\n"));
        console.control("{\"type\": \"resize\", \"cols\": 120, \"rows\": 40}");
        await().atMost(WAIT).until(() -> console.output().contains("resized 120x40"));

        // a malformed control message is answered, and the console stays open
        console.control("{\"type\": \"resize\", \"cols\": 0, \"rows\": 40}");
        console.control("not json");
        console.control("{\"type\": \"paste\"}");
        await().atMost(WAIT).until(() -> console.texts().size() == 3);
        assertThat(console.texts()).allSatisfy(text -> assertThat(text).contains("\"type\":\"error\""));
        assertThat(console.texts().get(0)).contains("cols and rows");
        assertThat(console.output()).doesNotContain("resized 0x40");
        console.type("still here\n");
        await().atMost(WAIT).until(() -> console.output().contains("echo:still here"));

        FakeVmConsoles.FakeConsole shell = consoles.opened.stream().filter(c -> c.rangeId.equals(rangeId))
                .findFirst().orElseThrow();
        assertThat(shell.closed).as("control: open while the socket is").isFalse();
        console.close();
        await().atMost(WAIT).until(() -> shell.closed.get());
    }

    @Test
    void theShellEndingClosesTheSocket() {
        String rangeId = deployed("console-exit");
        ConsoleClient console = open(rangeId, "db");
        await().atMost(WAIT).until(() -> console.output().contains("open db"));
        console.type("exit\n");
        await().atMost(WAIT).until(() -> console.closeStatus() != null);
        assertThat(console.closeStatus().getCode()).isEqualTo(1000);
        assertThat(console.closeStatus().getReason()).isEqualTo("the shell ended");
    }

    @Test
    void aShellThatCannotStartAfterTheChecksClosesWithTheEnginesWords() {
        String rangeId = deployed("console-not-started");
        consoles.failNext.set("VM web is not running: start it first");
        ConsoleClient console = open(rangeId, "web");
        await().atMost(WAIT).until(() -> console.closeStatus() != null);
        assertThat(console.closeStatus().getCode()).isEqualTo(4409);
        assertThat(console.closeStatus().getReason()).isEqualTo("VM web is not running: start it first");
    }

    @Test
    void anIdleConsoleIsClosedWithItsReason() {
        String rangeId = deployed("console-idle");
        ConsoleClient console = open(rangeId, "web");
        await().atMost(WAIT).until(() -> console.output().contains("open web"));
        // typing keeps it open past the timeout (3 s): idle means nothing typed
        for (int i = 0; i < 3; i++) {
            console.type("k" + i + "\n");
            String expected = "echo:k" + i;
            await().atMost(WAIT).until(() -> console.output().contains(expected));
            await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
        }
        assertThat(console.closeStatus()).as("still open after more than the idle timeout, typing").isNull();
        await().atMost(WAIT).until(() -> console.closeStatus() != null);
        assertThat(console.closeStatus().getCode()).isEqualTo(4408);
        assertThat(console.closeStatus().getReason()).contains("idle for PT3S");
    }

    @Test
    void everyConsoleSessionIsAuditedWithWhoWhereAndHowItEnded() {
        String rangeId = deployed("console-audit");
        ConsoleClient console = open(rangeId, "db");
        await().atMost(WAIT).until(() -> console.output().contains("open db"));
        console.type("exit\n");
        await().atMost(WAIT).until(() -> console.closeStatus() != null);
        // a refused console is no session: nothing recorded for it
        assertThat(problemDetail(upgrade(api, rangeId, "mail"), 404)).contains("no VM mail");

        await().atMost(WAIT).untilAsserted(() -> {
            List<Map<String, Object>> sessions = consoleEntries(rangeId);
            assertThat(sessions).extracting(entry -> entry.get("action"), entry -> entry.get("user"))
                    .containsExactly(tuple("ConsoleClosed", USER), tuple("ConsoleOpened", USER));
            assertThat(sessions.get(1).get("detail")).isEqualTo("terminal console on VM db");
            assertThat(sessions.get(0).get("detail").toString()).startsWith("terminal console on VM db after ")
                    .endsWith(": closed: the shell ended");
        });
    }

    @Test
    void aConsoleClosesWhenItsUserIsUnassignedOrRemoved() {
        String rangeId = deployed("console-revoked");
        for (String name : List.of("tina", "theo")) {
            api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", name, "password", SECRET, "roles", List.of("TRAINEE")))
                    .exchange().expectStatus().is2xxSuccessful();
            api.put().uri("/api/v1/ranges/{id}/assignments/{user}", rangeId, name).exchange()
                    .expectStatus().is2xxSuccessful();
        }
        await().atMost(WAIT).until(() -> range(rangeId).assignees().containsAll(List.of("tina", "theo")));
        ConsoleClient tina = open(rangeId, "web", "tina", SECRET);
        ConsoleClient theo = open(rangeId, "db", "theo", SECRET);
        await().atMost(WAIT).until(() -> tina.output().contains("open web") && theo.output().contains("open db"));

        api.delete().uri("/api/v1/ranges/{id}/assignments/{user}", rangeId, "tina").exchange()
                .expectStatus().is2xxSuccessful();
        await().atMost(WAIT).until(() -> tina.closeStatus() != null);
        assertThat(tina.closeStatus().getCode()).isEqualTo(4403);
        assertThat(tina.closeStatus().getReason()).contains("no longer allowed to use this range");
        // the control: theo is still assigned, and his console stays open and answers
        theo.type("still\n");
        await().atMost(WAIT).until(() -> theo.output().contains("echo:still"));
        assertThat(theo.closeStatus()).isNull();

        api.delete().uri("/api/v1/users/theo").exchange().expectStatus().is2xxSuccessful();
        await().atMost(WAIT).until(() -> theo.closeStatus() != null);
        assertThat(theo.closeStatus().getCode()).isEqualTo(4403);
        assertThat(theo.closeStatus().getReason()).contains("user removed");
        // their shells end with their sockets, and the audit log says why
        await().atMost(WAIT).until(() -> consoles.opened.stream().filter(c -> c.rangeId.equals(rangeId))
                .allMatch(c -> c.closed.get()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(consoleEntries(rangeId))
                .filteredOn(entry -> entry.get("action").equals("ConsoleClosed"))
                .extracting(entry -> entry.get("detail").toString())
                .anySatisfy(detail -> assertThat(detail).contains("VM web").contains("no longer allowed"))
                .anySatisfy(detail -> assertThat(detail).contains("VM db").contains("user removed")));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> consoleEntries(String rangeId) {
        Map<String, Object> page = api.get().uri("/api/v1/audit?rangeId={id}&size=100", rangeId).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream()
                .filter(entry -> entry.get("action").toString().startsWith("Console")).toList();
    }

    @Test
    void refusalsAreProblemsBeforeTheUpgrade() {
        String rangeId = deployed("console-refusals");
        assertThat(problemDetail(upgrade(api, "no-such-range", "web"), 404)).contains("no range no-such-range");
        assertThat(problemDetail(upgrade(api, rangeId, "mail"), 404)).contains("no VM mail");
        upgrade(anonymous, rangeId, "web").expectStatus().isUnauthorized();

        api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "tess", "password", SECRET, "roles", List.of("TRAINEE")))
                .exchange().expectStatus().is2xxSuccessful();
        WebTestClient trainee = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("tess", SECRET)).build();
        assertThat(problemDetail(upgrade(trainee, rangeId, "web"), 403)).contains("tess may not use range");
        ConsoleClient refused = open(rangeId, "web", "tess", SECRET);
        await().atMost(WAIT).until(() -> refused.failure() != null);
        assertThat(refused.connected()).isFalse();
        api.put().uri("/api/v1/ranges/{id}/assignments/{user}", rangeId, "tess").exchange()
                .expectStatus().is2xxSuccessful();
        await().atMost(WAIT).until(() -> range(rangeId).assignees().contains("tess"));
        ConsoleClient assigned = open(rangeId, "web", "tess", SECRET);
        await().atMost(WAIT).until(() -> assigned.output().contains("open web"));
        assigned.close();

        api.post().uri("/api/v1/ranges/{id}/vms/web/stop", rangeId).exchange().expectStatus().isAccepted();
        await().atMost(WAIT).until(() -> vmStatus(rangeId, "web").equals("STOPPED"));
        assertThat(problemDetail(upgrade(api, rangeId, "web"), 409)).contains("VM web is STOPPED");

        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);
        assertThat(problemDetail(upgrade(api, rangeId, "db"), 409)).contains("is DESTROYED");
    }

    @Test
    void theNumberOfOpenConsolesIsBoundedPerServerAndPerUser() {
        String rangeId = deployed("console-limit");
        ConsoleClient first = open(rangeId, "web");
        ConsoleClient second = open(rangeId, "db");
        await().atMost(WAIT).until(() -> first.output().contains("open") && second.output().contains("open"));
        // the admin holds their share (max-per-user = 2) while the server still has a slot: 429
        assertThat(problemDetail(upgrade(api, rangeId, "web"), 429)).contains("admin has 2 consoles open");

        api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "lena", "password", SECRET, "roles", List.of("TRAINEE")))
                .exchange().expectStatus().is2xxSuccessful();
        api.put().uri("/api/v1/ranges/{id}/assignments/{user}", rangeId, "lena").exchange()
                .expectStatus().is2xxSuccessful();
        await().atMost(WAIT).until(() -> range(rangeId).assignees().contains("lena"));
        // the control: another user still gets the server's last slot (max-open = 3) ...
        ConsoleClient third = open(rangeId, "web", "lena", SECRET);
        await().atMost(WAIT).until(() -> third.output().contains("open web"));
        // ... and then the server is full for everyone: 503
        WebTestClient lena = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("lena", SECRET)).build();
        assertThat(problemDetail(upgrade(lena, rangeId, "db"), 503)).contains("max-open = 3");

        first.close();
        await().atMost(WAIT).until(() -> sockets.open() == 2);
        ConsoleClient fourth = open(rangeId, "web");
        await().atMost(WAIT).until(() -> fourth.output().contains("open web"));
    }

    RangeView range(String rangeId) {
        return api.get().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isOk()
                .expectBody(RangeView.class).returnResult().getResponseBody();
    }

    String vmStatus(String rangeId, String vm) {
        return range(rangeId).vms().stream().filter(v -> v.name().equals(vm)).findFirst().orElseThrow().status();
    }
}

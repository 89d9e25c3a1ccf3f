package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.api.console.VncSocket;
import io.cyroid.blueprint.ConsoleSpec;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The graphical (VNC) console on the fake port (it greets like a VNC server, then echoes): the blueprint's
 * {@code console} field and its validation, the read model's, the raw binary stream both ways with the
 * {@code binary} subprotocol, the close that ends the stream, and the refusals before the upgrade.
 * {@code io.cyroid.it.VncConsoleIT} does it on a real desktop VM.
 */
@TestPropertySource(properties = {"cyroid.console.idle-timeout=3s", "cyroid.console.max-open=2"})
class VncConsoleApiTest extends WithoutEngine {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @LocalServerPort
    int port;

    @Autowired
    FakeVmPortStreams streams;

    @Autowired
    VncSocket sockets;

    final List<VncClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(VncClient::close);
        await().atMost(WAIT).until(() -> sockets.open() == 0);
    }

    /** A desktop VM with a VNC console, one on a port where nothing listens, and one with the terminal only. */
    static String blueprint(String name) {
        return """
                name: %s
                networks: [{name: lan, subnet: 10.0.5.0/24, gateway: 10.0.5.1}]
                vms:
                  - {name: desktop, image: "cyroid/vm-desktop:latest", interfaces: [{network: lan, ip: 10.0.5.10}],
                     console: {type: vnc, port: 5900}}
                  - {name: deaf, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.5.11}],
                     console: {type: vnc, port: %d}}
                  - {name: server, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.5.20}]}
                """.formatted(name, FakeVmPortStreams.NOTHING_LISTENS);
    }

    String deployed(String name) {
        String blueprintId = register(blueprint(name));
        String rangeId = deploy(Map.of("blueprintId", blueprintId, "name", name)).expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("rangeId").toString();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        return rangeId;
    }

    VncClient open(String rangeId, String vm, String... subprotocols) {
        VncClient client = VncClient.open("http://127.0.0.1:" + port, rangeId, vm, USER, PASSWORD, subprotocols);
        clients.add(client);
        return client;
    }

    WebTestClient.ResponseSpec upgrade(WebTestClient client, String rangeId, String vm) {
        return client.get().uri("/api/v1/ranges/{id}/vms/{vm}/vnc", rangeId, vm)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .exchange();
    }

    String problemDetail(WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).returnResult().getResponseBody().get("detail").toString();
    }

    WebTestClient.ResponseSpec post(String yaml) {
        return api.post().uri("/api/v1/blueprints").contentType(YAML).bodyValue(yaml).exchange();
    }

    static String withConsole(String console) {
        return """
                name: bad-console
                networks: [{name: lan, subnet: 10.0.5.0/24, gateway: 10.0.5.1}]
                vms:
                  - {name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.5.10}]}
                  - {name: desk, image: "cyroid/vm-desktop:latest", interfaces: [{network: lan, ip: 10.0.5.11}],
                     console: %s}
                """.formatted(console);
    }

    @Test
    void aBadConsoleIsRefusedNamingItsField() {
        assertThat(errorFields(post(withConsole("{type: rdp, port: 3389}")).expectStatus().isBadRequest()))
                .containsExactly("vms[1].console.type");
        assertThat(errorFields(post(withConsole("{port: 5900}")).expectStatus().isBadRequest()))
                .containsExactly("vms[1].console.type");
        assertThat(errorFields(post(withConsole("{type: vnc, port: 0}")).expectStatus().isBadRequest()))
                .containsExactly("vms[1].console.port");
        assertThat(errorFields(post(withConsole("{type: vnc, port: 65536}")).expectStatus().isBadRequest()))
                .containsExactly("vms[1].console.port");
        assertThat(errorFields(post(withConsole("{type: vnc, port: many}")).expectStatus().isBadRequest()))
                .containsExactly("vms[1].console.port");
        assertThat(errorFields(post(withConsole("{type: vnc, display: 0}")).expectStatus().isBadRequest()))
                .containsExactly("vms[1].console.display");
        // control: the same blueprint with a good console is taken
        post(withConsole("{type: vnc, port: 65535}")).expectStatus().isCreated();
    }

    @Test
    void theRangeViewShowsEachVmsConsoleThePortDefaultingTo5900() {
        String rangeId = deployed("vnc-view");
        String blueprintId = register(withConsole("{type: vnc}").replace("bad-console", "default-port"));
        String other = deploy(Map.of("blueprintId", blueprintId, "name", "default-port")).expectStatus()
                .isAccepted().expectBody(Map.class).returnResult().getResponseBody().get("rangeId").toString();

        assertThat(vm(rangeId, "desktop").console()).isEqualTo(new ConsoleSpec("vnc", 5900));
        assertThat(vm(rangeId, "server").console()).isNull();
        assertThat(vm(other, "desk").console()).isEqualTo(new ConsoleSpec("vnc", 5900));
        // the JSON form, as the browser reads it
        api.get().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.vms[0].console.type").isEqualTo("vnc")
                .jsonPath("$.vms[0].console.port").isEqualTo(5900)
                .jsonPath("$.vms[2].console").isEmpty();
    }

    @Test
    void theRfbStreamGoesBothWaysInBinaryFramesAndClosingEndsIt() {
        String rangeId = deployed("vnc-echo");
        VncClient vnc = open(rangeId, "desktop", "binary");
        await().atMost(WAIT).until(() -> vnc.receivedCount() >= FakeVmPortStreams.BANNER.length);
        assertThat(vnc.received()).isEqualTo(FakeVmPortStreams.BANNER);
        assertThat(vnc.subprotocol()).isEqualTo("binary");

        byte[] reply = {'R', 'F', 'B', ' ', '0', '0', '3', '.', '0', '0', '8', '\n', 0, (byte) 0xff, 1};
        vnc.send(reply);
        await().atMost(WAIT).until(() -> vnc.receivedCount() >= FakeVmPortStreams.BANNER.length + reply.length);
        byte[] all = vnc.received();
        assertThat(Arrays.copyOfRange(all, FakeVmPortStreams.BANNER.length, all.length)).isEqualTo(reply);

        FakeVmPortStreams.FakeStream stream = streams.opened.stream().filter(s -> s.rangeId.equals(rangeId))
                .findFirst().orElseThrow();
        assertThat(stream.port).isEqualTo(5900);
        assertThat(stream.closed).as("control: open while the socket is").isFalse();
        vnc.close();
        await().atMost(WAIT).until(() -> stream.closed.get());
    }

    @Test
    void withoutASubprotocolItWorksTooAndATextFrameClosesIt() {
        String rangeId = deployed("vnc-text");
        VncClient vnc = open(rangeId, "desktop");
        await().atMost(WAIT).until(() -> vnc.receivedCount() >= FakeVmPortStreams.BANNER.length);
        assertThat(vnc.subprotocol()).isNull();
        vnc.sendText("hello");
        await().atMost(WAIT).until(() -> vnc.closeStatus() != null);
        assertThat(vnc.closeStatus().getCode()).isEqualTo(1003);
    }

    @Test
    void anIdleVncConsoleIsClosedAndItsStreamEnded() {
        String rangeId = deployed("vnc-idle");
        VncClient vnc = open(rangeId, "desktop", "binary");
        await().atMost(WAIT).until(() -> vnc.receivedCount() >= FakeVmPortStreams.BANNER.length);
        FakeVmPortStreams.FakeStream stream = streams.opened.stream().filter(s -> s.rangeId.equals(rangeId))
                .findFirst().orElseThrow();
        // the user's pointer keeps it open past the timeout (3 s)
        for (int i = 0; i < 3; i++) {
            vnc.send(new byte[] {5, 0, 0, 10, 0, (byte) (10 + i)});
            await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
        }
        assertThat(vnc.closeStatus()).as("still open after more than the idle timeout, pointing").isNull();
        // the viewer's own update requests (a changing screen) do not: it closes while they go on
        long started = System.nanoTime();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            vnc.send(new byte[] {3, 1, 0, 0, 0, 0, 0, 1, 0, 1});
            return vnc.closeStatus() != null;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(vnc.closeStatus().getCode()).isEqualTo(4408);
        await().atMost(WAIT).until(() -> stream.closed.get());
    }

    @Test
    void aPortWhereNothingListensClosesWithTheReason() {
        String rangeId = deployed("vnc-deaf");
        VncClient vnc = open(rangeId, "deaf");
        await().atMost(WAIT).until(() -> vnc.closeStatus() != null);
        assertThat(vnc.closeStatus().getCode()).isEqualTo(1000);
        assertThat(vnc.closeStatus().getReason()).isEqualTo("nothing listens on port 5999 of VM deaf");
        assertThat(new String(vnc.received(), StandardCharsets.US_ASCII)).isEmpty();
    }

    @Test
    void refusalsAreProblemsBeforeTheUpgrade() {
        String rangeId = deployed("vnc-refusals");
        assertThat(problemDetail(upgrade(api, rangeId, "server"), 409)).contains("VM server has no graphical console");
        // a vnc ticket for it is refused the same way, before any ticket exists; a terminal ticket is not
        assertThat(problemDetail(api.post().uri("/api/v1/ranges/{id}/vms/server/console-tickets", rangeId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("type", "vnc")).exchange(), 409))
                .contains("VM server has no graphical console");
        api.post().uri("/api/v1/ranges/{id}/vms/server/console-tickets", rangeId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "terminal")).exchange().expectStatus().isCreated();
        assertThat(problemDetail(upgrade(api, "no-such-range", "desktop"), 404)).contains("no range no-such-range");
        assertThat(problemDetail(upgrade(api, rangeId, "mail"), 404)).contains("no VM mail");
        upgrade(anonymous, rangeId, "desktop").expectStatus().isUnauthorized();

        api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "vera", "password", "trainee-secret", "roles", List.of("TRAINEE")))
                .exchange().expectStatus().is2xxSuccessful();
        WebTestClient trainee = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("vera", "trainee-secret"))
                .build();
        assertThat(problemDetail(upgrade(trainee, rangeId, "desktop"), 403)).contains("vera may not use range");

        // the limit is the terminal's, shared with it
        VncClient first = open(rangeId, "desktop");
        VncClient second = open(rangeId, "desktop");
        await().atMost(WAIT).until(() -> first.receivedCount() > 0 && second.receivedCount() > 0);
        assertThat(problemDetail(upgrade(api, rangeId, "desktop"), 503)).contains("max-open = 2");
        first.close();
        second.close();
        await().atMost(WAIT).until(() -> sockets.open() == 0);

        api.post().uri("/api/v1/ranges/{id}/vms/desktop/stop", rangeId).exchange().expectStatus().isAccepted();
        await().atMost(WAIT).until(() -> vm(rangeId, "desktop").status().equals("STOPPED"));
        assertThat(problemDetail(upgrade(api, rangeId, "desktop"), 409)).contains("VM desktop is STOPPED");
    }

    RangeView.Vm vm(String rangeId, String name) {
        RangeView range = api.get().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isOk()
                .expectBody(RangeView.class).returnResult().getResponseBody();
        return range.vms().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }
}

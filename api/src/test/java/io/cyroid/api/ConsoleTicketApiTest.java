package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.api.console.ConsoleSocket;
import io.cyroid.messages.RangeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Console tickets on the fake console port: issued after the console's own checks, used once, only before they
 * expire (an injected clock), only for the range, VM and type they name, only on the console paths, as the user's
 * current self; and never written to the log or the audit log.
 */
@Import(ConsoleTicketApiTest.Clocks.class)
@ExtendWith(OutputCaptureExtension.class)
class ConsoleTicketApiTest extends WithoutEngine {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SECRET = "trainee-secret";

    /** A clock the test moves forward; the tickets read it. */
    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        MovableClock ticketClock() {
            return new MovableClock();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Autowired
    ConsoleSocket sockets;

    final List<ConsoleClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(ConsoleClient::close);
        await().atMost(WAIT).until(() -> sockets.open() == 0);
    }

    /** The sample, its web VM declaring a graphical console too (so that vnc tickets exist for it). */
    String deployed(String name) {
        String yaml = sampleYaml(name);
        assertThat(yaml).contains("    env: {ROLE: web}\n");
        String blueprintId = register(yaml.replace("    env: {ROLE: web}\n",
                "    env: {ROLE: web}\n    console: {type: vnc, port: 5900}\n"));
        String rangeId = deploy(Map.of("blueprintId", blueprintId, "name", name)).expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("rangeId").toString();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        return rangeId;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> ticket(WebTestClient client, String rangeId, String vm, Object body) {
        WebTestClient.RequestBodySpec request = client.post()
                .uri("/api/v1/ranges/{id}/vms/{vm}/console-tickets", rangeId, vm);
        WebTestClient.RequestHeadersSpec<?> sent = body == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return sent.exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    ConsoleClient open(String url) {
        ConsoleClient client = ConsoleClient.withTicket("http://127.0.0.1:" + port, url);
        clients.add(client);
        return client;
    }

    /** The upgrade request a page sends, without credentials: its HTTP answer. */
    WebTestClient.ResponseSpec upgrade(String url) {
        return anonymous.get().uri(url).header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .exchange();
    }

    String refusedTicket(String url) {
        return upgrade(url).expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
                .expectBody(Map.class).returnResult().getResponseBody().get("detail").toString();
    }

    @Test
    void aTicketOpensTheConsoleOnceWithoutCredentials(CapturedOutput log) {
        String rangeId = deployed("ticket-once");
        Map<String, Object> issued = ticket(api, rangeId, "web", null);
        String ticket = issued.get("ticket").toString();
        assertThat(issued).containsEntry("type", "terminal")
                .containsEntry("url", "/api/v1/ranges/" + rangeId + "/vms/web/console?ticket=" + ticket);
        // 256 random bits, URL-safe base64
        assertThat(ticket).matches("[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(issued.get("expiresAt").toString()))
                .isEqualTo(clock.instant().plus(Duration.ofSeconds(30)));

        ConsoleClient console = open(issued.get("url").toString());
        await().atMost(WAIT).until(() -> console.output().contains("open web 80x24"));
        console.type("hostname\n");
        await().atMost(WAIT).until(() -> console.output().contains("echo:hostname"));

        // used: a second upgrade with it is refused, as a made-up one is
        assertThat(refusedTicket(issued.get("url").toString())).contains("console ticket");
        refusedTicket("/api/v1/ranges/" + rangeId + "/vms/web/console?ticket=made-up");
        // control: without any ticket or credentials, the plain refusal (with the Basic challenge)
        upgrade("/api/v1/ranges/" + rangeId + "/vms/web/console").expectStatus().isUnauthorized()
                .expectHeader().exists(HttpHeaders.WWW_AUTHENTICATE);

        // nothing secret in the log or the audit log (which holds the refused upgrades)
        AtomicReference<String> audit = new AtomicReference<>("");
        await().atMost(WAIT).until(() -> {
            audit.set(api.get().uri("/api/v1/audit?rangeId={id}&size=500", rangeId).exchange().expectStatus()
                    .isOk().expectBody(String.class).returnResult().getResponseBody());
            return audit.get().contains("GET /api/v1/ranges/" + rangeId + "/vms/web/console");
        });
        assertThat(audit.get()).doesNotContain(ticket);
        assertThat(log.getAll()).contains("console opened: admin on range " + rangeId).doesNotContain(ticket);
    }

    @Test
    void anExpiredTicketIsRefused() {
        String rangeId = deployed("ticket-expiry");
        Map<String, Object> late = ticket(api, rangeId, "web", Map.of("type", "terminal"));
        clock.now.updateAndGet(now -> now.plus(Duration.ofSeconds(31)));
        refusedTicket(late.get("url").toString());
        // control: a fresh ticket at the same clock opens
        Map<String, Object> fresh = ticket(api, rangeId, "web", null);
        clock.now.updateAndGet(now -> now.plus(Duration.ofSeconds(29)));
        ConsoleClient console = open(fresh.get("url").toString());
        await().atMost(WAIT).until(() -> console.output().contains("open web"));
    }

    @Test
    void aTicketOpensOnlyTheRangeVmAndTypeItNames() {
        String rangeId = deployed("ticket-bound");
        String other = deployed("ticket-other");
        String web = ticket(api, rangeId, "web", null).get("ticket").toString();
        refusedTicket("/api/v1/ranges/" + rangeId + "/vms/db/console?ticket=" + web);
        String web2 = ticket(api, rangeId, "web", null).get("ticket").toString();
        refusedTicket("/api/v1/ranges/" + other + "/vms/web/console?ticket=" + web2);
        Map<String, Object> vnc = ticket(api, rangeId, "web", Map.of("type", "vnc"));
        assertThat(vnc).containsEntry("type", "vnc").containsEntry("url",
                "/api/v1/ranges/" + rangeId + "/vms/web/vnc?ticket=" + vnc.get("ticket"));
        refusedTicket("/api/v1/ranges/" + rangeId + "/vms/web/console?ticket=" + vnc.get("ticket"));

        // never on another path: not taken as credentials there, and not used up by it
        Map<String, Object> terminal = ticket(api, rangeId, "web", null);
        anonymous.get().uri("/api/v1/ranges/{id}?ticket={t}", rangeId, terminal.get("ticket")).exchange()
                .expectStatus().isUnauthorized();
        anonymous.post().uri("/api/v1/ranges/{id}/vms/web/stop?ticket={t}", rangeId, terminal.get("ticket"))
                .exchange().expectStatus().isUnauthorized();
        ConsoleClient console = open(terminal.get("url").toString());
        await().atMost(WAIT).until(() -> console.output().contains("open web"));
    }

    @Test
    void ticketsFollowTheUsersRightsAndBadRequestsAreProblems() {
        String rangeId = deployed("ticket-users");
        api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "tina", "password", SECRET, "roles", List.of("TRAINEE")))
                .exchange().expectStatus().is2xxSuccessful();
        api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "otto", "password", SECRET, "roles", List.of("AUDITOR")))
                .exchange().expectStatus().is2xxSuccessful();
        WebTestClient tina = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("tina", SECRET)).build();
        WebTestClient otto = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("otto", SECRET)).build();
        String path = "/api/v1/ranges/" + rangeId + "/vms/web/console-tickets";

        // not assigned yet: as the console itself, 403; an auditor uses no range
        tina.post().uri(path).exchange().expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        otto.post().uri(path).exchange().expectStatus().isForbidden();
        api.post().uri("/api/v1/ranges/{id}/vms/mail/console-tickets", rangeId).exchange().expectStatus()
                .isNotFound().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        anonymous.post().uri(path).exchange().expectStatus().isUnauthorized();
        assertThat(errorFields(api.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "ssh")).exchange().expectStatus().isBadRequest())).containsExactly("type");
        assertThat(errorFields(api.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "vnc")).exchange().expectStatus().isBadRequest())).containsExactly("kind");

        api.put().uri("/api/v1/ranges/{id}/assignments/{user}", rangeId, "tina").exchange()
                .expectStatus().is2xxSuccessful();
        await().atMost(WAIT).until(() -> tina.get().uri("/api/v1/ranges/{id}", rangeId).exchange()
                .returnResult(String.class).getStatus().is2xxSuccessful());
        Map<String, Object> used = ticket(tina, rangeId, "web", null);
        ConsoleClient console = open(used.get("url").toString());
        await().atMost(WAIT).until(() -> console.output().contains("open web"));

        // removed between asking and opening: the ticket opens nothing
        Map<String, Object> orphan = ticket(tina, rangeId, "web", null);
        api.delete().uri("/api/v1/users/tina").exchange().expectStatus().is2xxSuccessful();
        refusedTicket(orphan.get("url").toString());

        // a stopped VM has no console: no ticket either
        api.post().uri("/api/v1/ranges/{id}/vms/db/stop", rangeId).exchange().expectStatus().isAccepted();
        await().atMost(WAIT).until(() -> api.post().uri("/api/v1/ranges/{id}/vms/db/console-tickets", rangeId)
                .exchange().returnResult(String.class).getStatus().value() == 409);
    }
}

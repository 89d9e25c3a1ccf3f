package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Who may do what, on the fake engine: each role allowed and refused as issue 7 says, refused commands appending
 * nothing and answered 403 (and audited), accounts created, used and removed through the API.
 */
class AccessApiTest extends WithoutEngine {

    static final String SECRET = "correct horse battery";

    @Autowired
    JdbcTemplate jdbc;

    WebTestClient alice; // instructor
    WebTestClient bob;   // instructor
    WebTestClient tara;  // trainee
    WebTestClient otto;  // trainee, never assigned
    WebTestClient audrey; // auditor

    long storedEvents() {
        return Objects.requireNonNull(jdbc.queryForObject("select count(*) from DomainEventEntry", Long.class));
    }

    WebTestClient as(String username) {
        return anonymous.mutate().defaultHeaders(headers -> headers.setBasicAuth(username, SECRET)).build();
    }

    void createUser(String username, String... roles) {
        var response = api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", SECRET, "roles", List.of(roles))).exchange();
        response.expectStatus().value(status -> assertThat(status).isIn(201, 409));
    }

    @BeforeEach
    void users() {
        createUser("alice", "INSTRUCTOR");
        createUser("bob", "INSTRUCTOR");
        createUser("tara", "TRAINEE");
        createUser("otto", "TRAINEE");
        createUser("audrey", "AUDITOR");
        alice = as("alice");
        bob = as("bob");
        tara = as("tara");
        otto = as("otto");
        audrey = as("audrey");
    }

    /** The request is refused with 403 problem+json, and nothing is appended to the event store. */
    void refused(WebTestClient client, HttpMethod method, String uri, Object body) {
        long before = storedEvents();
        var request = client.method(method).uri(uri);
        var response = body == null ? request.exchange()
                : request.contentType(body instanceof String ? MediaType.parseMediaType("application/yaml")
                : MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        response.expectStatus().isForbidden().expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(storedEvents()).as("events after a refused %s %s", method, uri).isEqualTo(before);
    }

    String deployAs(WebTestClient client, String blueprintId, String name) {
        String rangeId = client.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("blueprintId", blueprintId, "name", name)).exchange().expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody().rangeId();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);
        return rangeId;
    }

    List<String> visibleTo(WebTestClient client) {
        return client.get().uri("/api/v1/ranges").exchange().expectStatus().isOk().expectBodyList(RangeView.class)
                .returnResult().getResponseBody().stream().map(RangeView::rangeId).toList();
    }

    @Test
    void eachRoleIsAllowedAndRefusedAsTheRolesSay() {
        // instructors manage blueprints and deploy; trainees and auditors do neither
        String blueprint = alice.post().uri("/api/v1/blueprints")
                .contentType(MediaType.parseMediaType("application/yaml")).bodyValue(sampleYaml("roles-class"))
                .exchange().expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody().get("id").toString();
        refused(tara, HttpMethod.POST, "/api/v1/blueprints", sampleYaml("trainee-blueprint"));
        refused(audrey, HttpMethod.POST, "/api/v1/blueprints", sampleYaml("auditor-blueprint"));
        refused(tara, HttpMethod.POST, "/api/v1/ranges", Map.of("blueprintId", blueprint, "name", "t"));
        refused(audrey, HttpMethod.POST, "/api/v1/ranges", Map.of("blueprintId", blueprint, "name", "a"));
        tara.get().uri("/api/v1/blueprints").exchange().expectStatus().isForbidden();
        String range = deployAs(alice, blueprint, "alice-class");

        // only its creator (and admins, auditors) see a range at first
        assertThat(visibleTo(alice)).contains(range);
        assertThat(visibleTo(bob)).doesNotContain(range);
        assertThat(visibleTo(tara)).doesNotContain(range);
        assertThat(visibleTo(audrey)).contains(range);
        assertThat(visibleTo(api)).contains(range);
        bob.get().uri("/api/v1/ranges/{id}", range).exchange().expectStatus().isForbidden();
        tara.get().uri("/api/v1/ranges/{id}/events", range).exchange().expectStatus().isForbidden();
        audrey.get().uri("/api/v1/ranges/{id}/timeline", range).exchange().expectStatus().isOk();
        refused(bob, HttpMethod.DELETE, "/api/v1/ranges/" + range, null);
        refused(bob, HttpMethod.PUT, "/api/v1/ranges/" + range + "/assignments/bob", null);
        refused(tara, HttpMethod.POST, "/api/v1/ranges/" + range + "/vms/web/restart", null);
        refused(audrey, HttpMethod.POST, "/api/v1/ranges/" + range + "/vms/web/restart", null);
        refused(audrey, HttpMethod.DELETE, "/api/v1/ranges/" + range, null);
        refused(tara, HttpMethod.POST, "/api/v1/ranges/" + range + "/redeploy", null);

        // assigned, the trainee sees and uses the range, and still may not destroy or assign it
        alice.put().uri("/api/v1/ranges/{id}/assignments/tara", range).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).until(() -> visibleTo(tara).contains(range));
        assertThat(visibleTo(otto)).doesNotContain(range);
        tara.get().uri("/api/v1/ranges/{id}", range).exchange().expectStatus().isOk();
        tara.post().uri("/api/v1/ranges/{id}/vms/web/restart", range).exchange().expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(30)).until(() -> tara.get().uri("/api/v1/ranges/{id}", range).exchange()
                .expectBody(RangeView.class).returnResult().getResponseBody().vms().stream()
                .allMatch(vm -> vm.pendingAction() == null && "RUNNING".equals(vm.status())));
        refused(tara, HttpMethod.DELETE, "/api/v1/ranges/" + range, null);
        refused(tara, HttpMethod.PUT, "/api/v1/ranges/" + range + "/assignments/otto", null);
        refused(otto, HttpMethod.POST, "/api/v1/ranges/" + range + "/vms/web/stop", null);

        // shared with another instructor, who may then manage it; an auditor cannot be assigned
        alice.put().uri("/api/v1/ranges/{id}/assignments/audrey", range).exchange().expectStatus().isBadRequest();
        alice.put().uri("/api/v1/ranges/{id}/assignments/nobody", range).exchange().expectStatus().isNotFound();
        alice.put().uri("/api/v1/ranges/{id}/assignments/bob", range).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).until(() -> visibleTo(bob).contains(range));

        // the auditor reads the audit history, the others do not; the refusals are in it
        refused(alice, HttpMethod.GET, "/api/v1/audit", null);
        refused(tara, HttpMethod.GET, "/api/v1/audit", null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audrey.get()
                .uri("/api/v1/audit?outcome=REFUSED&user=bob").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody().get("total")).isEqualTo(3)); // a GET, a DELETE, a PUT
        assertThat(audrey.get().uri("/api/v1/audit?action=RangeAssigned&rangeId=" + range).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody().get("total")).isEqualTo(2);

        // only admins manage users and the server
        refused(alice, HttpMethod.POST, "/api/v1/users", Map.of("username", "mallory", "password", SECRET,
                "roles", List.of("ADMIN")));
        alice.get().uri("/api/v1/users").exchange().expectStatus().isForbidden();
        audrey.get().uri("/api/v1/pool").exchange().expectStatus().isForbidden();

        bob.delete().uri("/api/v1/ranges/{id}", range).exchange().expectStatus().isAccepted();
        awaitStatus(range, RangeStatus.DESTROYED);
    }

    @Test
    void everyoneMayAskWhoTheyAre() {
        tara.get().uri("/api/v1/me").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.username").isEqualTo("tara").jsonPath("$.roles[0]").isEqualTo("TRAINEE");
        api.get().uri("/api/v1/me").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.username").isEqualTo("admin").jsonPath("$.roles[0]").isEqualTo("ADMIN");
        anonymous.get().uri("/api/v1/me").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aRemovedUserSignsInNoLongerAtOnce() {
        createUser("temp", "AUDITOR");
        WebTestClient temp = as("temp");
        temp.get().uri("/api/v1/ranges").exchange().expectStatus().isOk(); // remembered credentials now
        api.delete().uri("/api/v1/users/temp").exchange().expectStatus().isNoContent();
        temp.get().uri("/api/v1/ranges").exchange().expectStatus().isUnauthorized();
        api.delete().uri("/api/v1/users/temp").exchange().expectStatus().isNotFound();
        api.delete().uri("/api/v1/users/admin").exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT);
        // the name may be taken again, with a new password
        createUser("temp", "TRAINEE");
        as("temp").get().uri("/api/v1/ranges").exchange().expectStatus().isOk();
    }

    @Test
    void usersAreValidatedAndListedWithoutTheirPasswords() {
        long before = storedEvents();
        assertThat(errorFields(api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "Bad Name", "password", "short", "roles", List.of())).exchange()
                .expectStatus().isBadRequest())).containsExactly("username", "password", "roles");
        api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "alice", "password", SECRET, "roles", List.of("TRAINEE"))).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT);
        api.post().uri("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "eve", "password", SECRET, "roles", List.of("ROOT"))).exchange()
                .expectStatus().isBadRequest();
        assertThat(storedEvents()).isEqualTo(before);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.get().uri("/api/v1/users")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .contains("\"alice\"", "\"audrey\"", "INSTRUCTOR").doesNotContain("bcrypt", "password"));
        api.get().uri("/api/v1/users/tara").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.roles[0]").isEqualTo("TRAINEE");
    }

    @Test
    void repeatedWrongPasswordsSlowTheirCallerAndNobodyElse() {
        WebTestClient wrong = anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("otto", "not the password"))
                .build();
        for (int i = 0; i < 6; i++) {
            wrong.get().uri("/api/v1/ranges").exchange().expectStatus().isUnauthorized();
        }
        long start = System.nanoTime();
        wrong.get().uri("/api/v1/ranges").exchange().expectStatus().isUnauthorized();
        long throttled = (System.nanoTime() - start) / 1_000_000;
        assertThat(throttled).as("ms for the 7th wrong password in a row").isGreaterThanOrEqualTo(200);
        // other users are not held up: their requests are not delayed by the throttle (which would add >= 200 ms
        // to each; the measurement above shows the delay is real)
        tara.get().uri("/api/v1/ranges").exchange().expectStatus().isOk();
        start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            tara.get().uri("/api/v1/ranges").exchange().expectStatus().isOk();
        }
        assertThat((System.nanoTime() - start) / 1_000_000 / 3).as("ms per request of another user")
                .isLessThan(throttled);
    }
}

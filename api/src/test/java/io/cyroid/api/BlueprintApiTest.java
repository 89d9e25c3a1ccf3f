package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.api.blueprint.BlueprintStore.StoredBlueprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class BlueprintApiTest extends WithoutEngine {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");
    static final ParameterizedTypeReference<Map<String, String>> CREATED = new ParameterizedTypeReference<>() {
    };

    static String sampleYaml() {
        try {
            return new ClassPathResource("samples/corp-lan.yaml").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sample under another name, so each test registers a blueprint of its own. */
    static String sampleYamlNamed(String name) {
        String yaml = sampleYaml();
        assertThat(yaml).startsWith("name: corp-lan\n");
        return yaml.replaceFirst("name: corp-lan\n", "name: " + name + "\n");
    }

    WebTestClient.ResponseSpec post(MediaType type, String body) {
        return api.post().uri("/api/v1/blueprints").contentType(type).bodyValue(body).exchange();
    }

    Map<String, String> register(MediaType type, String body) {
        return post(type, body).expectStatus().isCreated()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(CREATED).returnResult().getResponseBody();
    }

    List<StoredBlueprint> list() {
        return api.get().uri("/api/v1/blueprints").exchange()
                .expectStatus().isOk()
                .expectBodyList(StoredBlueprint.class).returnResult().getResponseBody();
    }

    @Test
    void theSampleRegistersAsYamlAndReadsBackAsTheSameBlueprint() {
        Instant before = Instant.now();
        Map<String, String> created = register(YAML, sampleYaml());

        assertThat(created).containsOnlyKeys("id", "name").containsEntry("name", "corp-lan");
        assertThat(created.get("id")).isNotBlank();

        StoredBlueprint stored = api.get().uri("/api/v1/blueprints/{id}", created.get("id")).exchange()
                .expectStatus().isOk()
                .expectBody(StoredBlueprint.class).returnResult().getResponseBody();
        assertThat(stored).isNotNull();
        assertThat(stored.id()).isEqualTo(created.get("id"));
        assertThat(stored.name()).isEqualTo("corp-lan");
        assertThat(stored.createdBy()).isEqualTo(USER);
        assertThat(stored.createdAt()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(stored.blueprint()).isEqualTo(BlueprintParser.fromYaml(sampleYaml()));
        assertThat(stored.blueprint().vms()).extracting(v -> v.name()).containsExactly("web", "db");
    }

    @Test
    void aJsonBlueprintRegistersToo() {
        String json = """
                {"name": "json-lab",
                 "networks": [{"name": "lan", "subnet": "192.168.50.0/24", "gateway": "192.168.50.1"}],
                 "vms": [{"name": "box", "image": "cyroid/vm-busybox:latest",
                          "interfaces": [{"network": "lan", "ip": "192.168.50.5"}]}]}
                """;
        Map<String, String> created = register(MediaType.APPLICATION_JSON, json);

        assertThat(created).containsEntry("name", "json-lab");
        StoredBlueprint stored = api.get().uri("/api/v1/blueprints/{id}", created.get("id")).exchange()
                .expectStatus().isOk()
                .expectBody(StoredBlueprint.class).returnResult().getResponseBody();
        assertThat(stored.blueprint()).isEqualTo(BlueprintParser.fromJson(json));
    }

    @Test
    void theListHoldsEveryRegisteredBlueprintByName() {
        String b = register(YAML, sampleYamlNamed("list-b")).get("id");
        String a = register(YAML, sampleYamlNamed("list-a")).get("id");

        List<StoredBlueprint> listed = list();

        assertThat(listed).extracting(StoredBlueprint::id).contains(a, b);
        List<String> names = listed.stream().map(StoredBlueprint::name).toList();
        assertThat(names).isSorted();
        assertThat(listed).filteredOn(s -> s.id().equals(a)).singleElement()
                .satisfies(s -> assertThat(s.blueprint()).isEqualTo(
                        BlueprintParser.fromYaml(sampleYamlNamed("list-a"))));
    }

    @Test
    void anUnknownBlueprintIsNotFound() {
        api.get().uri("/api/v1/blueprints/{id}", "no-such-blueprint").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.detail").isEqualTo("no blueprint no-such-blueprint");
    }

    @Test
    void aSecondBlueprintOfTheSameNameIsAConflictAndNotStored() {
        register(YAML, sampleYamlNamed("twice"));
        List<StoredBlueprint> before = list();

        post(YAML, sampleYamlNamed("twice")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("twice"));

        assertThat(list()).isEqualTo(before);
        assertThat(before).filteredOn(s -> s.name().equals("twice")).hasSize(1);
    }

    static Stream<Arguments> invalidBlueprints() {
        return Stream.of(
                Arguments.of("invalid CIDR", YAML, """
                        name: bad-cidr
                        networks: [{name: lan, subnet: 10.0.1.0/33, gateway: 10.0.1.1}]
                        vms: [{name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}]
                        """, List.of("networks[0].subnet")),
                Arguments.of("gateway outside its subnet", YAML, """
                        name: bad-gateway
                        networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.9.1}]
                        vms: [{name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}]
                        """, List.of("networks[0].gateway")),
                Arguments.of("VM address used twice", YAML, """
                        name: same-ip
                        networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                        vms:
                          - {name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}
                          - {name: db, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}
                        """, List.of("vms[1].interfaces[0].ip")),
                Arguments.of("unknown network", YAML, """
                        name: unknown-net
                        networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                        vms: [{name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: wan, ip: 10.0.1.10}]}]
                        """, List.of("vms[0].interfaces[0].network")),
                Arguments.of("empty image", YAML, """
                        name: no-image
                        networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                        vms: [{name: web, image: "", interfaces: [{network: lan, ip: 10.0.1.10}]}]
                        """, List.of("vms[0].image")),
                Arguments.of("several mistakes at once, in document order", YAML, """
                        name: many
                        networks: [{name: lan, subnet: 10.0.1.0/33, gateway: 10.0.1.1}]
                        vms:
                          - {name: web, image: "", interfaces: [{network: lan, ip: 10.0.1.10}]}
                          - {name: db, image: "cyroid/vm-busybox:latest", interfaces: [{network: wan, ip: 10.0.1.11}]}
                        """, List.of("networks[0].subnet", "vms[0].image", "vms[1].interfaces[0].network")),
                Arguments.of("unknown YAML field", YAML, """
                        name: typo
                        networks: [{name: lan, subnett: 10.0.1.0/24, gateway: 10.0.1.1}]
                        vms: [{name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}]
                        """, List.of("networks[0].subnett")),
                Arguments.of("unknown JSON field", MediaType.APPLICATION_JSON, """
                        {"name": "typo-json", "networks": [], "vms": [{"name": "web", "imag": "x"}]}
                        """, List.of("vms[0].imag")),
                Arguments.of("a VM name Docker refuses (one character)", YAML, """
                        name: short-vm
                        networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                        vms: [{name: a, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}]
                        """, List.of("vms[0].name")),
                Arguments.of("below the measured minimums, NUL in env and command", MediaType.APPLICATION_JSON, """
                        {"name": "engine-refuses",
                         "networks": [{"name": "lan", "subnet": "10.0.1.0/24", "gateway": "10.0.1.1"}],
                         "vms": [{"name": "web", "image": "cyroid/vm-busybox:latest",
                                  "interfaces": [{"network": "lan", "ip": "10.0.1.10"}],
                                  "env": {"ROLE": "w\\u0000b"}, "command": ["", "x\\u0000"]}],
                         "resources": {"memory": "64m", "cpus": 0.001}}
                        """, List.of("vms[0].env.ROLE", "vms[0].command[0]", "vms[0].command[1]", "resources.memory",
                        "resources.cpus")),
                Arguments.of("a YAML alias", YAML, """
                        name: alias
                        networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                        vms: [{name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}],
                               env: {ROLE: web, OTHER: *r}}]
                        """, List.of("vms[0].env.OTHER")),
                Arguments.of("more VMs than BLUEPRINT_MAX_VMS (100)", YAML, manyVms(101), List.of("vms")),
                Arguments.of("malformed YAML", YAML, "name: \"unclosed\n", List.of("body")),
                Arguments.of("malformed JSON", MediaType.APPLICATION_JSON, "{\"name\": \"x\",}", List.of("body")),
                Arguments.of("a list where a blueprint belongs", YAML, "- name: x\n", List.of("body")),
                Arguments.of("empty YAML document", YAML, "---\n", List.of("body")));
    }

    /** A blueprint of {@code n} VMs on one /16 network. */
    static String manyVms(int n) {
        StringBuilder yaml = new StringBuilder("name: many\nnetworks: [{name: lan, subnet: 10.0.0.0/16, gateway: 10.0.0.1}]\nvms:\n");
        for (int i = 1; i <= n; i++) {
            yaml.append("  - {name: vm").append(i).append(", image: \"cyroid/vm-busybox:latest\", interfaces: [{network: lan, ip: 10.0.")
                    .append(1 + i / 250).append('.').append(1 + i % 250).append("}]}\n");
        }
        return yaml.toString();
    }

    @Test
    void theLimitsAreTheServersAndTheirEdgeIsAccepted() {
        register(YAML, manyVms(100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBlueprints")
    void anInvalidBlueprintIsRefusedNamingTheOffendingFieldsAndNothingIsStored(String mistake, MediaType type,
                                                                             String body, List<String> fields) {
        List<StoredBlueprint> before = list();

        WebTestClient.ResponseSpec response = post(type, body).expectStatus().isBadRequest();

        assertThat(errorFields(response)).isEqualTo(fields);
        assertThat(list()).isEqualTo(before);
    }

    @Test
    void aBlueprintWithoutBodyIsRefusedAsUnreadable() {
        List<StoredBlueprint> before = list();

        WebTestClient.ResponseSpec response = api.post().uri("/api/v1/blueprints").contentType(YAML).exchange()
                .expectStatus().isBadRequest();

        assertThat(errorFields(response)).containsExactly("body");
        assertThat(list()).isEqualTo(before);
    }

    @Test
    void theRefusalExplainsEachMistakeInWords() {
        post(YAML, """
                name: explained
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.9.1}]
                vms: [{name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}]
                """).expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.title").isEqualTo("invalid request")
                .jsonPath("$.errors[0].field").isEqualTo("networks[0].gateway")
                .jsonPath("$.errors[0].message").isEqualTo("gateway 10.0.9.1 is outside subnet 10.0.1.0/24")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("networks[0].gateway: gateway 10.0.9.1 is outside subnet 10.0.1.0/24"));
    }

    @Test
    void blueprintsNeedCredentials() {
        anonymous.get().uri("/api/v1/blueprints").exchange().expectStatus().isUnauthorized();
        anonymous.post().uri("/api/v1/blueprints").contentType(YAML).bodyValue(sampleYamlNamed("anonymous"))
                .exchange().expectStatus().isUnauthorized();

        assertThat(list()).extracting(StoredBlueprint::name).doesNotContain("anonymous");
    }

    @Test
    void aWrongPasswordIsRefused() {
        anonymous.mutate().defaultHeaders(h -> h.setBasicAuth(USER, "not-" + PASSWORD)).build()
                .get().uri("/api/v1/blueprints").exchange()
                .expectStatus().isUnauthorized();
        anonymous.mutate().defaultHeaders(h -> h.setBasicAuth("mallory", PASSWORD)).build()
                .get().uri("/api/v1/blueprints").exchange()
                .expectStatus().isUnauthorized();
    }
}

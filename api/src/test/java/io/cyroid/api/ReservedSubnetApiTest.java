package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.blueprint.Ipv4Cidr;
import io.cyroid.messages.RegisterBlueprint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Subnets a range network may not use (issue 7): refused with 400 naming the field at registration, at revision and
 * at deploy of a blueprint stored before the rule, and nothing is appended. The management subnet is configured to
 * another value than the default here, so the test also shows that the configured one is what counts.
 */
@TestPropertySource(properties = "cyroid.provisioning.mgmt-subnet=192.168.77.0/24")
class ReservedSubnetApiTest extends WithoutEngine {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CommandGateway commands;

    long storedEvents() {
        return Objects.requireNonNull(jdbc.queryForObject("select count(*) from DomainEventEntry", Long.class));
    }

    /** One network on this subnet, its gateway the first address and one VM on the tenth. */
    static String blueprint(String name, String subnet) {
        long network = Ipv4Cidr.parse(subnet).networkAddress();
        return """
                name: %s
                networks:
                  - {name: lan, subnet: %s, gateway: %s}
                vms:
                  - name: web
                    image: cyroid/vm-busybox:latest
                    interfaces: [{network: lan, ip: %s}]
                """.formatted(name, subnet, Ipv4Cidr.format(network + 1), Ipv4Cidr.format(network + 10));
    }

    WebTestClient.ResponseSpec post(String yaml) {
        return api.post().uri("/api/v1/blueprints").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "239.1.0.0/16",
            "240.0.0.0/8", "192.168.77.0/24", "192.168.77.128/25", "172.30.1.0/24", "172.30.0.0/23"})
    void aReservedSubnetIsRefusedAtRegistrationNamingTheField(String subnet) {
        long events = storedEvents();
        assertThat(errorFields(post(blueprint("reserved", subnet)).expectStatus().isBadRequest()))
                .containsExactly("networks[0].subnet");
        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void theDefaultManagementSubnetIsAllowedWhenAnotherIsConfigured() {
        post(blueprint("old-mgmt-subnet", "172.30.0.0/24")).expectStatus().isCreated();
    }

    @Test
    void aRevisionOntoTheRangesNetworkIsRefusedAndTheBlueprintStays() {
        String id = register(blueprint("revised-onto-ranges", "10.0.1.0/24"));
        long events = storedEvents();

        WebTestClient.ResponseSpec response = api.put().uri("/api/v1/blueprints/{id}", id)
                .contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(blueprint("revised-onto-ranges", "172.30.1.0/24")).exchange().expectStatus().isBadRequest();

        assertThat(errorFields(response)).containsExactly("networks[0].subnet");
        assertThat(storedEvents()).isEqualTo(events);
        assertThat(api.get().uri("/api/v1/blueprints/{id}", id).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("version")).isEqualTo(1);
    }

    @Test
    void aBlueprintStoredBeforeTheRuleIsRefusedAtDeploy() {
        // the reproduction: accepted before this rule, its DinD answered ARP for the host's gateway
        commands.sendAndWait(new RegisterBlueprint("bp-on-ranges",
                BlueprintParser.fromYaml(blueprint("on-ranges", "172.30.1.0/24")), USER));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> api.get()
                .uri("/api/v1/blueprints/{id}", "bp-on-ranges").exchange().expectStatus().isOk());
        List<?> rangesBefore = ranges();
        long events = storedEvents();

        WebTestClient.ResponseSpec response = deploy(Map.of("blueprintId", "bp-on-ranges", "name", "hijack"))
                .expectStatus().isBadRequest();

        assertThat(errorFields(response)).containsExactly("networks[0].subnet");
        assertThat(storedEvents()).isEqualTo(events);
        assertThat(ranges()).isEqualTo(rangesBefore);
    }
}

package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Routes, forwarding and internet networks through the API: accepted as written, refused naming the field. */
class RoutedBlueprintApiTest extends WithoutEngine {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    static String routed(String name, String attackerVia) {
        return """
                name: %s
                networks:
                  - {name: attacker, subnet: 10.1.0.0/24, gateway: 10.1.0.1}
                  - {name: dmz, subnet: 10.2.0.0/24, gateway: 10.2.0.1, internet: true}
                vms:
                  - {name: kali, image: "cyroid/vm-busybox:latest", interfaces: [{network: attacker, ip: 10.1.0.10}]}
                  - {name: router, image: "cyroid/vm-busybox:latest", forwarding: true,
                     interfaces: [{network: attacker, ip: 10.1.0.254}, {network: dmz, ip: 10.2.0.254}]}
                  - {name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: dmz, ip: 10.2.0.10}],
                     routes: [{to: 10.1.0.0/24, via: %s}]}
                """.formatted(name, attackerVia);
    }

    @Test
    void aRoutedBlueprintIsStoredWithItsRoutesForwardingAndInternet() {
        String id = api.post().uri("/api/v1/blueprints").contentType(YAML).bodyValue(routed("routed", "10.2.0.254"))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("id").asText();

        JsonNode stored = api.get().uri("/api/v1/blueprints/{id}", id).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode blueprint = stored.has("blueprint") ? stored.get("blueprint") : stored;
        assertThat(blueprint.at("/networks/1/internet").asBoolean()).isTrue();
        assertThat(blueprint.at("/networks/0/internet").isMissingNode()).as("absent stays absent").isTrue();
        assertThat(blueprint.at("/vms/1/forwarding").asBoolean()).isTrue();
        assertThat(blueprint.at("/vms/2/routes/0/to").asText()).isEqualTo("10.1.0.0/24");
        assertThat(blueprint.at("/vms/2/routes/0/via").asText()).isEqualTo("10.2.0.254");
        assertThat(blueprint.at("/vms/0/routes").isMissingNode()).as("no routes, no field").isTrue();
    }

    @Test
    void aRouteViaAnAddressOffTheVmsNetworksIsRefusedNamingTheField() {
        var response = api.post().uri("/api/v1/blueprints").contentType(YAML)
                .bodyValue(routed("via-elsewhere", "10.1.0.254")).exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(errorFields(response)).containsExactly("vms[2].routes[0].via");
    }

    @Test
    void anUnknownFieldInARouteIsRefusedNamingIt() {
        var response = api.post().uri("/api/v1/blueprints").contentType(YAML)
                .bodyValue(routed("typo", "10.2.0.254").replace("via: 10.2.0.254", "gw: 10.2.0.254"))
                .exchange().expectStatus().isBadRequest();
        assertThat(errorFields(response)).containsExactly("vms[2].routes[0].gw");
    }
}

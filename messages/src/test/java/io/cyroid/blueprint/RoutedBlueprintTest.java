package io.cyroid.blueprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Routes, forwarding and internet networks: how they are read, written and checked. */
class RoutedBlueprintTest {

    static final String ROUTED = """
            name: routed
            networks:
              - {name: attacker, subnet: 10.1.0.0/24, gateway: 10.1.0.1}
              - {name: dmz, subnet: 10.2.0.0/24, gateway: 10.2.0.1, internet: true}
            vms:
              - {name: kali, image: alpine, interfaces: [{network: attacker, ip: 10.1.0.10}],
                 routes: [{to: 10.2.0.0/24, via: 10.1.0.254}]}
              - {name: router, image: alpine, forwarding: true,
                 interfaces: [{network: attacker, ip: 10.1.0.254}, {network: dmz, ip: 10.2.0.254}]}
              - {name: web, image: alpine, interfaces: [{network: dmz, ip: 10.2.0.10}],
                 routes: [{to: VIA_TO, via: VIA}]}
            """;

    static Blueprint routed(String to, String via) {
        return BlueprintParser.fromYaml(ROUTED.replace("VIA_TO", to).replace("VIA", via));
    }

    static List<Violation> violations(Blueprint blueprint) {
        return new BlueprintValidator().validate(blueprint);
    }

    @Test
    void routesForwardingAndInternetAreReadAndValid() {
        Blueprint b = routed("10.1.0.0/24", "10.2.0.254");
        assertThat(b.vms().get(0).routes()).containsExactly(new RouteSpec("10.2.0.0/24", "10.1.0.254"));
        assertThat(b.vms().get(1).forwards()).isTrue();
        assertThat(b.vms().get(0).forwards()).isFalse();
        assertThat(b.vms().get(1).routes()).isEmpty();
        assertThat(b.networks().get(1).leavesRange()).isTrue();
        assertThat(b.networks().get(0).leavesRange()).isFalse();
        assertThat(violations(b)).isEmpty();
    }

    @Test
    void unusedFieldsStayOutOfTheJsonAndTheRoundTripKeepsEverything() {
        Blueprint b = routed("0.0.0.0/0", "10.2.0.254");
        String json = BlueprintParser.toJson(b);
        assertThat(BlueprintParser.fromJson(json)).isEqualTo(b);
        assertThat(json).contains("\"internet\":true", "\"forwarding\":true", "\"routes\":[{\"to\":\"0.0.0.0/0\"");
        String plain = BlueprintParser.toJson(SampleBlueprints.CORP_LAN);
        assertThat(plain).doesNotContain("routes", "forwarding", "internet");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.1.0.0/24 | 10.1.0.254 | vms[2].routes[0].via | is not on a network this VM is attached to (dmz 10.2.0.0/24)",
            "10.1.0.0/24 | 10.2.0.10  | vms[2].routes[0].via | is this VM's own address",
            "10.1.0.0/24 | 10.2.0.255 | vms[2].routes[0].via | is not a host address",
            "10.1.0.0/24 | 10.2.0.999 | vms[2].routes[0].via | octet 999 is above 255",
            "10.1.0.5/24 | 10.2.0.254 | vms[2].routes[0].to  | did you mean 10.1.0.0/24?",
            "10.1.0.0    | 10.2.0.254 | vms[2].routes[0].to  | expected an IPv4 CIDR"})
    void aBadRouteIsRefusedNamingItsField(String to, String via, String field, String message) {
        assertThat(violations(routed(to, via))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.message()).contains(message);
        });
    }

    @Test
    void theGatewayOfANetworkWithoutAWayOutIsNoRouter() {
        Blueprint b = BlueprintParser.fromYaml(ROUTED.replace("VIA_TO", "10.1.0.0/24").replace("VIA", "10.2.0.254")
                .replace("routes: [{to: 10.2.0.0/24, via: 10.1.0.254}]", "routes: [{to: 10.2.0.0/24, via: 10.1.0.1}]"));
        assertThat(violations(b)).extracting(Violation::field).containsExactly("vms[0].routes[0].via");
        // on an internet network the gateway is the way out: a default route through it is fine
        assertThat(violations(routed("0.0.0.0/0", "10.2.0.1"))).isEmpty();
    }

    @Test
    void missingPartsAndRepeatedDestinationsAreRefused() {
        VmSpec vm = new VmSpec("web", "alpine", null, List.of(new InterfaceSpec("lan", "10.0.1.10")), null, null,
                List.of(new RouteSpec(null, null), new RouteSpec("10.9.0.0/16", "10.0.1.254"),
                        new RouteSpec("10.9.0.0/16", "10.0.1.253")), null);
        Blueprint b = new Blueprint("x", List.of(new NetworkSpec("lan", "10.0.1.0/24", "10.0.1.1")), List.of(vm), null);
        assertThat(violations(b)).extracting(Violation::field)
                .containsExactly("vms[0].routes[0].to", "vms[0].routes[0].via", "vms[0].routes[2].to");
    }

    @Test
    void unknownFieldsInARouteAreRefused() {
        BlueprintParseException e = org.junit.jupiter.api.Assertions.assertThrows(BlueprintParseException.class,
                () -> BlueprintParser.fromYaml(ROUTED.replace("VIA_TO", "10.1.0.0/24").replace("VIA", "10.2.0.254")
                        .replace("forwarding: true", "forward: true")));
        assertThat(e.field()).isEqualTo("vms[1].forward");
    }
}

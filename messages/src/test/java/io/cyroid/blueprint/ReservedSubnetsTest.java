package io.cyroid.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every refused class of subnet, its neighbours that stay allowed, and the configured management subnets. */
class ReservedSubnetsTest {

    private final BlueprintValidator validator = new BlueprintValidator();

    /** A blueprint whose second network has this subnet (gateway and VM address derived from it). */
    static Blueprint withSecondNetwork(String subnet) {
        Ipv4Cidr cidr = Ipv4Cidr.parse(subnet);
        String gateway = Ipv4Cidr.format(cidr.networkAddress() + 1);
        String vmIp = Ipv4Cidr.format(cidr.networkAddress() + 2);
        NetworkSpec lan = new NetworkSpec("lan", "10.0.1.0/24", "10.0.1.1");
        NetworkSpec other = new NetworkSpec("other", subnet, gateway);
        VmSpec vm = new VmSpec("web", "cyroid/vm-busybox:latest", "web",
                List.of(new InterfaceSpec("lan", "10.0.1.10"), new InterfaceSpec("other", vmIp)), Map.of(), List.of());
        return new Blueprint("reserved", List.of(lan, other), List.of(vm), null);
    }

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0/8, this network",
            "127.0.0.0/8, loopback",
            "127.1.2.0/24, loopback",
            "169.254.0.0/16, link-local",
            "169.254.3.0/24, link-local",
            "224.0.0.0/8, multicast",
            "239.255.255.0/24, multicast",
            "240.0.0.0/8, reserved",
            "255.255.255.0/24, reserved",
            "172.30.0.0/24, cyroid-mgmt",
            "172.30.1.0/24, cyroid-ranges",
            "172.30.1.128/25, cyroid-ranges",
            "172.30.0.0/16, cyroid-mgmt"})
    void refusedNamingTheField(String subnet, String why) {
        List<Violation> violations = validator.validate(withSecondNetwork(subnet));
        assertThat(violations).extracting(Violation::field).containsExactly("networks[1].subnet");
        assertThat(violations.get(0).message()).contains(subnet).contains(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0.0/8", "126.255.255.0/24", "128.0.0.0/24", "169.253.0.0/16", "169.255.0.0/16",
            "172.30.2.0/24", "172.29.255.0/24", "223.255.255.0/24", "10.0.2.0/24", "192.168.56.0/24"})
    void neighboursStayAllowed(String subnet) {
        assertThat(validator.validate(withSecondNetwork(subnet))).isEmpty();
    }

    @Test
    void theConfiguredManagementSubnetsAreRefusedNotTheDefaults() {
        BlueprintValidator configured = new BlueprintValidator(BlueprintLimits.DEFAULTS,
                ReservedSubnets.withManagement("192.168.77.0/24", "10.99.0.0/16"));
        assertThat(configured.validate(withSecondNetwork("172.30.1.0/24"))).isEmpty();
        assertThat(configured.validate(withSecondNetwork("192.168.77.0/25"))).extracting(Violation::message)
                .singleElement().asString().contains("cyroid-mgmt");
        assertThat(configured.validate(withSecondNetwork("10.99.4.0/24"))).extracting(Violation::message)
                .singleElement().asString().contains("cyroid-ranges");
        assertThat(configured.validate(withSecondNetwork("127.0.0.0/8"))).hasSize(1);
    }

    @Test
    void aBadConfiguredSubnetIsAConfigurationError() {
        assertThatThrownBy(() -> ReservedSubnets.withManagement("not-a-cidr", "172.30.1.0/24"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

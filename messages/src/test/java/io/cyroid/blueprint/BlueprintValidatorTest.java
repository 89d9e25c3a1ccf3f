package io.cyroid.blueprint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlueprintValidatorTest {

    private final BlueprintValidator validator = new BlueprintValidator();

    // ---- builders: the sample blueprint of the brief, and small variations of it

    static NetworkSpec net(String name, String subnet, String gateway) {
        return new NetworkSpec(name, subnet, gateway);
    }

    static InterfaceSpec ifc(String network, String ip) {
        return new InterfaceSpec(network, ip);
    }

    static VmSpec vm(String name, InterfaceSpec... ifaces) {
        return new VmSpec(name, "cyroid/vm-busybox:latest", name, List.of(ifaces), Map.of(), List.of());
    }

    static final NetworkSpec LAN = net("lan", "10.0.1.0/24", "10.0.1.1");
    static final NetworkSpec DMZ = net("dmz", "10.0.2.0/24", "10.0.2.1");

    static Blueprint sample() {
        VmSpec web = new VmSpec("web", "cyroid/vm-busybox:latest", "web",
                List.of(ifc("lan", "10.0.1.10"), ifc("dmz", "10.0.2.10")),
                Map.of("ROLE", "web"), List.of("sleep", "infinity"));
        return new Blueprint("corp-lan", List.of(LAN, DMZ), List.of(web), new ResourceSpec("2g", 2.0));
    }

    static Blueprint withName(String name) {
        Blueprint s = sample();
        return new Blueprint(name, s.networks(), s.vms(), s.resources());
    }

    static Blueprint withNetworks(NetworkSpec... networks) {
        Blueprint s = sample();
        return new Blueprint(s.name(), Arrays.asList(networks), s.vms(), s.resources());
    }

    static Blueprint withVms(VmSpec... vms) {
        Blueprint s = sample();
        return new Blueprint(s.name(), s.networks(), Arrays.asList(vms), s.resources());
    }

    static Blueprint withVm(String image, String hostname, Map<String, String> env) {
        return withVms(new VmSpec("web", image, hostname, List.of(ifc("lan", "10.0.1.10")), env, List.of()));
    }

    static Blueprint withResources(ResourceSpec resources) {
        Blueprint s = sample();
        return new Blueprint(s.name(), s.networks(), s.vms(), resources);
    }

    /** Only the lan network and one VM on it at {@code ip}. */
    static Blueprint lanWithIp(String ip) {
        return new Blueprint("b", List.of(LAN), List.of(vm("web", ifc("lan", ip))), null);
    }

    List<String> fields(Blueprint b) {
        return validator.validate(b).stream().map(Violation::field).toList();
    }

    String message(Blueprint b) {
        List<Violation> v = validator.validate(b);
        assertThat(v).hasSize(1);
        return v.get(0).message();
    }

    // ---- the sample

    @Test
    void sampleIsAccepted() {
        assertThat(validator.validate(sample())).isEmpty();
    }

    // ---- blueprint name

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-corp", ".corp", "corp lan", "corp/lan", "corp:lan", "é"})
    void blueprintNameMustBeDockerName(String name) {
        assertThat(fields(withName(name))).containsExactly("name");
    }

    @Test
    void blueprintNameRequiredAndAtMost63() {
        assertThat(fields(withName(null))).containsExactly("name");
        assertThat(fields(withName("a".repeat(64)))).containsExactly("name");
        assertThat(fields(withName("a".repeat(63)))).isEmpty();
        assertThat(fields(withName("0corp_lan.v2-x"))).isEmpty();
    }

    // ---- networks / vms present

    @Test
    void networksAndVmsMustBeNonEmpty() {
        Blueprint s = sample();
        assertThat(fields(new Blueprint("b", List.of(), List.of(), null))).containsExactly("networks", "vms");
        assertThat(fields(new Blueprint("b", List.of(LAN), s.vms(), null)))
                .containsExactly("vms[0].interfaces[1].network"); // dmz is gone, nothing else breaks
    }

    // ---- network name

    @ParameterizedTest
    @ValueSource(strings = {"", "-lan", "l an", "lan/1", "bridge", "host", "none", "Host"})
    void networkNameRefused(String name) {
        assertThat(fields(withNetworks(net(name, "10.0.1.0/24", "10.0.1.1"), DMZ)))
                .contains("networks[0].name")
                .allMatch(f -> f.equals("networks[0].name") || f.equals("vms[0].interfaces[0].network"));
    }

    @Test
    void networkNameRequiredMaxLengthAndUnique() {
        assertThat(fields(withNetworks(net(null, "10.0.3.0/24", "10.0.3.1"), LAN, DMZ))).containsExactly("networks[0].name");
        assertThat(fields(withNetworks(LAN, DMZ, net("x".repeat(64), "10.0.3.0/24", "10.0.3.1")))).containsExactly("networks[2].name");
        List<Violation> dup = validator.validate(withNetworks(LAN, DMZ, net("lan", "10.0.3.0/24", "10.0.3.1")));
        assertThat(dup).extracting(Violation::field).containsExactly("networks[2].name");
        assertThat(dup.get(0).message()).contains("networks[0]");
    }

    @Test
    void networkNameBorderlineAccepted() {
        assertThat(fields(withNetworks(LAN, DMZ, net("bridge2", "10.0.3.0/24", "10.0.3.1"), net("x".repeat(63), "10.0.4.0/24", "10.0.4.1"))))
                .isEmpty();
    }

    // ---- subnet

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.1/24", "10.0.1.0", "10.0.1.0/", "256.0.1.0/24", "010.0.1.0/24", "10.0.1.0/024",
            "10.0.1.0/7", "10.0.1.0/31", "10.0.1.0/32", "10.0.1.0/33", " 10.0.1.0/24", "10.0.1.0/24/1", "a.b.c.d/24",
            "10.0.1.0./24", "10..1.0/24", "+10.0.1.0/24", "10.0.1.0/+24"})
    void invalidSubnetRefused(String subnet) {
        // gateway and VM addresses are not judged against a broken subnet, so exactly one violation
        assertThat(fields(withNetworks(net("lan", subnet, "10.0.1.1"), DMZ))).containsExactly("networks[0].subnet");
    }

    @Test
    void subnetWithHostBitsSuggestsNormalizedCidr() {
        assertThat(message(withNetworks(net("lan", "10.0.1.5/24", "10.0.1.1"), DMZ)))
                .contains("host bits set; did you mean 10.0.1.0/24?");
        assertThat(fields(withNetworks(net("lan", null, "10.0.1.1"), DMZ))).containsExactly("networks[0].subnet");
    }

    @Test
    void smallestAndLargestPrefixAccepted() {
        Blueprint slash30 = new Blueprint("b", List.of(net("p2p", "10.0.1.0/30", "10.0.1.1")),
                List.of(vm("a1", ifc("p2p", "10.0.1.2"))), null);
        assertThat(validator.validate(slash30)).isEmpty();
        Blueprint slash8 = new Blueprint("b", List.of(net("big", "10.0.0.0/8", "10.255.255.254")),
                List.of(vm("a1", ifc("big", "10.200.0.1"))), null);
        assertThat(validator.validate(slash8)).isEmpty();
    }

    // ---- gateway

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.1", "10.0.1.01", "10.0.1.256", "10.0.1.1/24", "10.0.2.1", "10.0.1.0", "10.0.1.255"})
    void invalidGatewayRefused(String gateway) {
        assertThat(fields(withNetworks(net("lan", "10.0.1.0/24", gateway), DMZ))).containsExactly("networks[0].gateway");
    }

    @Test
    void gatewayRequiredAndExplained() {
        assertThat(fields(withNetworks(net("lan", "10.0.1.0/24", null), DMZ))).containsExactly("networks[0].gateway");
        assertThat(message(withNetworks(net("lan", "10.0.1.0/24", "10.0.1.255"), DMZ))).contains("broadcast");
        assertThat(message(withNetworks(net("lan", "10.0.1.0/24", "10.0.1.0"), DMZ))).contains("network address");
        assertThat(message(withNetworks(net("lan", "10.0.1.0/24", "10.0.2.1"), DMZ))).contains("outside");
    }

    @Test
    void gatewayEqualToVmAddressNamesBothFields() {
        List<Violation> v = validator.validate(withNetworks(net("lan", "10.0.1.0/24", "10.0.1.10"), DMZ));
        assertThat(v).extracting(Violation::field).containsExactly("networks[0].gateway", "vms[0].interfaces[0].ip");
        assertThat(v.get(0).message()).contains("web");
    }

    @Test
    void gatewayNeedNotBeDotOne() {
        assertThat(fields(withNetworks(net("lan", "10.0.1.0/24", "10.0.1.254"), DMZ))).isEmpty();
    }

    // ---- overlapping subnets

    @Test
    void overlappingSubnetsRefusedOnTheLaterNetwork() {
        Blueprint b = new Blueprint("b",
                List.of(LAN, net("half", "10.0.1.128/25", "10.0.1.129"), net("all", "10.0.0.0/16", "10.0.0.1")),
                List.of(vm("a1", ifc("lan", "10.0.1.10"))), null);
        List<Violation> v = validator.validate(b);
        assertThat(v).extracting(Violation::field).containsExactly("networks[1].subnet", "networks[2].subnet", "networks[2].subnet");
        assertThat(v.get(0).message()).contains("'lan'").contains("networks[0]");
        assertThat(v.get(2).message()).contains("'half'");
    }

    @Test
    void adjacentSubnetsAccepted() {
        assertThat(fields(withNetworks(LAN, DMZ, net("c", "10.0.0.0/24", "10.0.0.1"), net("d", "10.0.3.0/30", "10.0.3.1"))))
                .isEmpty();
    }

    // ---- VM name

    @ParameterizedTest
    @ValueSource(strings = {"", "-web", "web server", "web/1"})
    void vmNameMustBeDockerName(String name) {
        assertThat(fields(withVms(new VmSpec(name, "alpine", null, List.of(ifc("lan", "10.0.1.10")), null, null))))
                .containsExactly("vms[0].name");
    }

    @Test
    void vmNameRequiredMaxLengthUnique() {
        assertThat(fields(withVms(new VmSpec(null, "alpine", null, List.of(ifc("lan", "10.0.1.10")), null, null)))).containsExactly("vms[0].name");
        assertThat(fields(withVms(new VmSpec("w".repeat(64), "alpine", null, List.of(ifc("lan", "10.0.1.10")), null, null))))
                .containsExactly("vms[0].name");
        List<Violation> dup = validator.validate(withVms(vm("web", ifc("lan", "10.0.1.10")), vm("web", ifc("lan", "10.0.1.11"))));
        assertThat(dup).extracting(Violation::field).containsExactly("vms[1].name");
        assertThat(dup.get(0).message()).contains("vms[0]");
    }

    @Test
    void vmNameBorderlineAccepted() {
        assertThat(fields(withVms(new VmSpec("Web.1_a-b", "alpine", null, List.of(ifc("lan", "10.0.1.10")), null, null),
                new VmSpec("w".repeat(63), "alpine", null, List.of(ifc("lan", "10.0.1.11")), null, null)))).isEmpty();
    }

    // ---- image

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "busybox latest", "busy\tbox", "Cyroid/VM", "UBUNTU", "busybox:", ":latest", "busybox@sha256:abc",
            "busybox@md5:0123456789abcdef0123456789abcdef", "/busybox", "busybox/", "busy--box_", "a//b", "busybox:-x"})
    void invalidImageRefused(String image) {
        assertThat(fields(withVm(image, null, null))).containsExactly("vms[0].image");
    }

    @Test
    void imageRequiredAndUppercaseExplained() {
        assertThat(fields(withVm(null, null, null))).containsExactly("vms[0].image");
        assertThat(message(withVm("Cyroid/VM", null, null))).contains("lowercase");
        assertThat(fields(withVm("a".repeat(600), null, null))).containsExactly("vms[0].image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alpine", "alpine:3.20", "library/alpine:LATEST_1.x", "registry.example.com:5000/team/app:v1.2",
            "localhost:5000/x", "ghcr.io/org/my__img", "a-b.c_d/e",
            "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io/org/img:tag@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void plausibleImagesAccepted(String image) {
        assertThat(fields(withVm(image, null, null))).isEmpty();
    }

    // ---- hostname

    @ParameterizedTest
    @ValueSource(strings = {"", "-web", "web-", "web_1", "web.local", "web 1"})
    void invalidHostnameRefused(String hostname) {
        assertThat(fields(withVm("alpine", hostname, null))).containsExactly("vms[0].hostname");
    }

    @Test
    void hostnameAtMost63() {
        assertThat(fields(withVm("alpine", "h".repeat(64), null))).containsExactly("vms[0].hostname");
    }

    @Test
    void hostnameOptionalAndBorderlineAccepted() {
        assertThat(fields(withVm("alpine", null, null))).isEmpty();
        assertThat(fields(withVm("alpine", "a", null))).isEmpty();
        assertThat(fields(withVm("alpine", "Web-01", null))).isEmpty();
        assertThat(fields(withVm("alpine", "h".repeat(63), null))).isEmpty();
    }

    // ---- interfaces

    @Test
    void vmNeedsAnInterface() {
        assertThat(fields(withVms(vm("web")))).containsExactly("vms[0].interfaces");
    }

    @Test
    void interfaceNetworkMustExist() {
        List<Violation> v = validator.validate(withVms(vm("web", ifc("lna", "10.0.1.10"))));
        assertThat(v).extracting(Violation::field).containsExactly("vms[0].interfaces[0].network");
        assertThat(v.get(0).message()).contains("'lna'").contains("lan, dmz");
        assertThat(fields(withVms(vm("web", ifc(null, "10.0.1.10"))))).containsExactly("vms[0].interfaces[0].network");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.1", "10.0.1.010", "10.0.1.300", "10.0.1.10/24", "10.0.2.10", "10.0.1.0", "10.0.1.255"})
    void invalidInterfaceIpRefused(String ip) {
        assertThat(fields(lanWithIp(ip))).containsExactly("vms[0].interfaces[0].ip");
    }

    @Test
    void interfaceIpExplained() {
        assertThat(fields(lanWithIp(null))).containsExactly("vms[0].interfaces[0].ip");
        // the gateway clash is reported on both sides (see gatewayEqualToVmAddressNamesBothFields)
        assertThat(validator.validate(lanWithIp("10.0.1.1"))).extracting(Violation::field)
                .containsExactly("networks[0].gateway", "vms[0].interfaces[0].ip");
        assertThat(validator.validate(lanWithIp("10.0.1.1")).get(1).message()).contains("is the gateway of network 'lan'");
        assertThat(message(lanWithIp("10.0.1.255"))).contains("broadcast");
        assertThat(message(lanWithIp("10.0.9.9"))).contains("outside");
    }

    @Test
    void interfaceIpBorderlineAccepted() {
        assertThat(fields(lanWithIp("10.0.1.2"))).isEmpty();
        assertThat(fields(lanWithIp("10.0.1.254"))).isEmpty();
    }

    @Test
    void ipUsedTwiceInOneNetworkNamesTheOtherVm() {
        List<Violation> v = validator.validate(withVms(vm("web", ifc("lan", "10.0.1.10")), vm("db", ifc("dmz", "10.0.2.5"), ifc("lan", "10.0.1.10"))));
        assertThat(v).extracting(Violation::field).containsExactly("vms[1].interfaces[1].ip");
        assertThat(v.get(0).message()).contains("'web'").contains("vms[0].interfaces[0].ip");
    }

    @Test
    void sameHostNumberOnDifferentNetworksAndSameIpInAnotherBlueprintAreFine() {
        // Two networks of one blueprint cannot overlap, so "reuse across networks" means the same host part
        // (10.0.1.10 / 10.0.2.10), or the same address in another range, which is isolated in its own engine.
        assertThat(fields(withVms(vm("web", ifc("lan", "10.0.1.10")), vm("db", ifc("dmz", "10.0.2.10"))))).isEmpty();
        assertThat(validator.validate(sample())).isEmpty();
        assertThat(validator.validate(sample())).isEmpty();
    }

    @Test
    void vmMayNotAttachTwiceToOneNetwork() {
        List<Violation> v = validator.validate(withVms(vm("web", ifc("lan", "10.0.1.10"), ifc("lan", "10.0.1.11"))));
        assertThat(v).extracting(Violation::field).containsExactly("vms[0].interfaces[1].network");
        assertThat(v.get(0).message()).contains("vms[0].interfaces[0]");
    }

    // ---- env / command

    @Test
    void envKeysMustBeNonBlankWithoutEquals() {
        assertThat(fields(withVm("alpine", null, Map.of("A=B", "x")))).containsExactly("vms[0].env");
        assertThat(message(withVm("alpine", null, Map.of("A=B", "x")))).contains("'A=B'");
        assertThat(fields(withVm("alpine", null, Map.of(" ", "x", "", "y")))).containsExactly("vms[0].env", "vms[0].env");
        assertThat(fields(withVm("alpine", null, Map.of("PATH_X", "a=b", "ROLE", "")))).isEmpty();
    }

    @Test
    void commandMayBeAbsentOrEmptyForTheImagesDefault() {
        assertThat(fields(withVms(new VmSpec("web", "alpine", null, List.of(ifc("lan", "10.0.1.10")), null, null)))).isEmpty();
        assertThat(fields(withVms(new VmSpec("web", "alpine", null, List.of(ifc("lan", "10.0.1.10")), null, List.of()))))
                .isEmpty();
        // only the program must be non-empty; an empty argument after it is a legal argument
        assertThat(fields(withVms(new VmSpec("web", "alpine", null, List.of(ifc("lan", "10.0.1.10")), null,
                List.of("sh", "-c", ""))))).isEmpty();
    }

    // ---- resources

    @ParameterizedTest
    @ValueSource(strings = {"", "2 g", "2gb", "2G ", "abc", "-1g", "1e9", ".5g", "2t", "63m", "64m", "127m", "131071k",
            "134217727", "0.1g", "0", "99999999999999999999g"})
    void invalidMemoryRefused(String memory) {
        assertThat(fields(withResources(new ResourceSpec(memory, null)))).containsExactly("resources.memory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"128m", "128M", "0.125g", "131072k", "134217728", "134217728b", "1.5G", "2g"})
    void memoryBorderlineAccepted(String memory) {
        assertThat(fields(withResources(new ResourceSpec(memory, null)))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, 0.001, 0.01, 0.099, 1024.5, Double.NaN, Double.POSITIVE_INFINITY})
    void invalidCpusRefused(double cpus) {
        assertThat(fields(withResources(new ResourceSpec(null, cpus)))).containsExactly("resources.cpus");
    }

    @Test
    void resourcesOptionalAndCpusBorderlineAccepted() {
        assertThat(fields(withResources(null))).isEmpty();
        assertThat(fields(withResources(new ResourceSpec(null, null)))).isEmpty();
        assertThat(fields(withResources(new ResourceSpec(null, 0.1)))).isEmpty();
        assertThat(fields(withResources(new ResourceSpec(null, 1024.0)))).isEmpty();
    }

    @Test
    void parseMemoryBytes() {
        assertThat(BlueprintValidator.parseMemoryBytes("2g")).isEqualTo(2147483648L);
        assertThat(BlueprintValidator.parseMemoryBytes("512m")).isEqualTo(512L * 1024 * 1024);
        assertThat(BlueprintValidator.parseMemoryBytes("1K")).isEqualTo(1024);
        assertThat(BlueprintValidator.parseMemoryBytes("100")).isEqualTo(100);
        assertThat(BlueprintValidator.parseMemoryBytes("100b")).isEqualTo(100);
        assertThat(BlueprintValidator.parseMemoryBytes("1.5k")).isEqualTo(1536);
        assertThat(BlueprintValidator.parseMemoryBytes("0.3b")).isZero();
        assertThatThrownBy(() -> BlueprintValidator.parseMemoryBytes("2 g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlueprintValidator.parseMemoryBytes(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlueprintValidator.parseMemoryBytes("9999999999999g")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- all violations, stable order

    @Test
    void reportsEveryViolationInDocumentOrder() {
        Blueprint b = new Blueprint("-bad",
                List.of(net("lan", "10.0.1.5/24", "10.0.1.1"), net("host", "10.0.2.0/24", "10.0.3.1")),
                List.of(new VmSpec("web", "Bad Image", "-h", List.of(ifc("nowhere", "1.2.3")), Map.of("X=Y", "1"), null),
                        new VmSpec("web", "alpine", null, List.of(), null, null)),
                new ResourceSpec("1m", 0.0));
        List<String> expected = List.of("name", "networks[0].subnet", "networks[1].name", "networks[1].gateway",
                "vms[0].image", "vms[0].hostname", "vms[0].interfaces[0].network", "vms[0].interfaces[0].ip",
                "vms[0].env", "vms[1].name", "vms[1].interfaces", "resources.memory", "resources.cpus");
        assertThat(fields(b)).containsExactlyElementsOf(expected);
        assertThat(fields(b)).containsExactlyElementsOf(expected); // stable across runs
    }

    // ---- null safety: hostile JSON may leave anything null

    @Test
    void nullBlueprintAndNullListsAreViolationsNotExceptions() {
        assertThat(fields(null)).containsExactly("body");
        assertThat(fields(new Blueprint(null, null, null, null))).containsExactly("name", "networks", "vms");
    }

    @Test
    void nullFieldsEverywhereAreReported() {
        Blueprint b = new Blueprint("b", List.of(new NetworkSpec(null, null, null)),
                List.of(new VmSpec(null, null, null, null, null, null),
                        new VmSpec("x1", "alpine", null, List.of(new InterfaceSpec(null, null)), null, null)),
                new ResourceSpec(null, null));
        assertThat(fields(b)).containsExactly("networks[0].name", "networks[0].subnet", "networks[0].gateway",
                "vms[0].name", "vms[0].image", "vms[0].interfaces",
                "vms[1].interfaces[0].network", "vms[1].interfaces[0].ip");
    }

    @Test
    void hostileLongValuesDoNotBloatMessages() {
        String huge = "9".repeat(100_000);
        List<Violation> v = validator.validate(new Blueprint(huge, List.of(net(huge, huge, huge)),
                List.of(new VmSpec(huge, huge, huge, List.of(ifc(huge, huge)), Map.of(huge, huge), List.of(huge))),
                new ResourceSpec(huge, Double.MAX_VALUE)));
        assertThat(v).isNotEmpty().allMatch(x -> x.message().length() < 300);
    }
}

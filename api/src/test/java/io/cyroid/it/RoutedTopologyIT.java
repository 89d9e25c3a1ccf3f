package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, items 1 and 2 on the real engine: two ranges of one routed blueprint at once. Traffic between the
 * attacker and dmz networks flows only through the router VM, and stops when the router's forwarding or its own
 * firewall says so; the internet network has a default route and NAT, the others none, and it still cannot reach
 * this machine's management addresses. Every refusal is paired with a success that shows the probe can succeed.
 * No probe leaves this machine: the only addresses tried are the ranges' own and the host's on cyroid-mgmt and
 * cyroid-ranges.
 */
class RoutedTopologyIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(240);
    static final Duration PROBE = Duration.ofSeconds(30);
    static final String BLUEPRINT = """
            name: it-routed
            networks:
              - {name: attacker, subnet: 10.1.0.0/24, gateway: 10.1.0.1}
              - {name: dmz, subnet: 10.2.0.0/24, gateway: 10.2.0.1}
              - {name: outside, subnet: 10.3.0.0/24, gateway: 10.3.0.1, internet: true}
            vms:
              - {name: kali, image: "cyroid/vm-busybox:latest", interfaces: [{network: attacker, ip: 10.1.0.10}],
                 routes: [{to: 10.2.0.0/24, via: 10.1.0.254}]}
              - {name: kali2, image: "cyroid/vm-busybox:latest", interfaces: [{network: attacker, ip: 10.1.0.11}]}
              - {name: router, image: "cyroid/vm-busybox:latest", forwarding: true,
                 interfaces: [{network: attacker, ip: 10.1.0.254}, {network: dmz, ip: 10.2.0.254}]}
              - {name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: dmz, ip: 10.2.0.10}],
                 routes: [{to: 10.1.0.0/24, via: 10.2.0.254}]}
              - {name: client, image: "cyroid/vm-busybox:latest", interfaces: [{network: outside, ip: 10.3.0.10}]}
            """;

    @Test
    void trafficBetweenNetworksFlowsOnlyThroughTheRouterAndTheInternetNetworkStaysOffThisMachine() throws Exception {
        String blueprintId = api.registerBlueprint(BLUEPRINT);
        String first = api.requestRange(blueprintId, "routed-1");
        String second = api.requestRange(blueprintId, "routed-2");
        String dind1 = api.awaitStatus(first, "DEPLOYED", TIMEOUT).get("dind").get("containerName").asText();
        String dind2 = api.awaitStatus(second, "DEPLOYED", TIMEOUT).get("dind").get("containerName").asText();

        for (String dind : new String[] {dind1, dind2}) {
            awaitReach(dind, "kali", "10.1.0.11"); // control: same network, no router involved
            awaitReach(dind, "kali", "10.2.0.10"); // through the router
            awaitReach(dind, "web", "10.1.0.10");  // and back
            assertThat(ttlOfReply(dind, "kali", "10.2.0.10")).as("one hop: the router").isEqualTo(63);
        }

        // the router's forwarding off in the second range: no path there, while the first range still routes
        assertThat(nsenter(dind2, "router", "echo 0 > /proc/sys/net/ipv4/ip_forward").exitCode()).isZero();
        assertThat(reaches(dind2, "kali", "10.2.0.10")).as("forwarding off").isFalse();
        assertThat(reaches(dind1, "kali", "10.2.0.10")).as("control: the other range, forwarding on").isTrue();
        assertThat(nsenter(dind2, "router", "echo 1 > /proc/sys/net/ipv4/ip_forward").exitCode()).isZero();
        awaitReach(dind2, "kali", "10.2.0.10");

        // the router's own firewall decides (its iptables, in its own network namespace), not Docker's rules
        assertThat(nsenter(dind1, "router", "iptables -I FORWARD -d 10.2.0.10 -j DROP").exitCode()).isZero();
        assertThat(reaches(dind1, "kali", "10.2.0.10")).as("the router's firewall drops it").isFalse();
        assertThat(reaches(dind1, "kali", "10.1.0.11")).as("control").isTrue();
        assertThat(nsenter(dind1, "router", "iptables -D FORWARD -d 10.2.0.10 -j DROP").exitCode()).isZero();
        awaitReach(dind1, "kali", "10.2.0.10");

        // without a router there is no path: through the DinD's own bridge address, Docker's isolation still drops it
        assertThat(nsenter(dind1, "kali", "ip route add 10.3.0.0/24 via 10.1.0.1").exitCode()).isZero();
        assertThat(reaches(dind1, "kali", "10.3.0.10")).as("routed by the DinD itself").isFalse();
        // control: the client is there and answers its DinD (the DinD has no ping of its own: busybox's, in the
        // DinD's network namespace)
        assertThat(RealEngine.exec(dind1, "docker", "run", "--rm", "--network", "host", "cyroid/vm-busybox:latest",
                "ping", "-c", "1", "-W", "2", "10.3.0.10").exitCode()).isZero();

        // only the router got the right to manage its network; the others cannot even change their routes
        assertThat(RealEngine.exec(dind1, "docker", "inspect", "-f", "{{.HostConfig.CapAdd}}", "router").output())
                .contains("NET_ADMIN");
        assertThat(RealEngine.exec(dind1, "docker", "inspect", "-f", "{{.HostConfig.CapAdd}}", "kali").output())
                .doesNotContain("NET_ADMIN");
        assertThat(RealEngine.execInVm(dind1, "kali", "ip", "route", "del", "10.2.0.0/24").exitCode())
                .as("an ordinary VM cannot change its routes").isNotZero();
        assertThat(RealEngine.execInVm(dind1, "kali", "cat", "/proc/sys/net/ipv4/ip_forward").output().strip())
                .isEqualTo("0");

        // routes: a default route on the internet network only
        for (String dind : new String[] {dind1, dind2}) {
            assertThat(routes(dind, "client")).contains("default via 10.3.0.1");
            assertThat(routes(dind, "kali")).doesNotContain("default").contains("10.2.0.0/24 via 10.1.0.254");
            assertThat(routes(dind, "web")).doesNotContain("default").contains("10.1.0.0/24 via 10.2.0.254");
            assertThat(routes(dind, "router")).doesNotContain("default");
            assertThat(RealEngine.exec(dind, "iptables", "-t", "nat", "-S", "POSTROUTING").output())
                    .as("the way out is the DinD's NAT").contains("-A POSTROUTING -s 10.3.0.0/24 ! -o br-")
                    .contains("-j MASQUERADE").doesNotContain("10.1.0.0/24").doesNotContain("10.2.0.0/24");
        }

        // an address of this machine outside the range: no route at all from an ordinary network
        String hostOnRanges = gateway("cyroid-ranges");
        String mgmtGateway = gateway("cyroid-mgmt");
        assertThat(RealEngine.execInVm(dind1, "kali", "ping", "-c", "1", "-W", "1", hostOnRanges).exitCode()).isNotZero();
        // ... and from the internet network the packets are routed out, then dropped by the DinD's walls: the
        // drop counters prove the refusal is the wall's, not a missing route
        for (String address : new String[] {hostOnRanges, mgmtGateway}) {
            long before = wallDrops(dind1);
            assertThat(reaches(dind1, "client", address)).as("internet VM to %s", address).isFalse();
            assertThat(wallDrops(dind1)).as("dropped by the wall: %s", address).isGreaterThan(before);
        }

        // a restarted VM gets its routes again (a start makes a new network namespace)
        assertThat(api.vmAction(first, "kali", "restart")).isEqualTo(202);
        api.awaitEvent(first, "VmRestarted", PROBE);
        api.awaitVm(first, "kali", "RUNNING", PROBE);
        assertThat(routes(dind1, "kali")).doesNotContain("default").contains("10.2.0.0/24 via 10.1.0.254");
        awaitReach(dind1, "kali", "10.2.0.10");

        api.destroy(first);
        api.destroy(second);
        api.awaitStatus(first, "DESTROYED", TIMEOUT);
        api.awaitStatus(second, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(first);
        RealEngine.assertNothingLeft(second);
    }

    private static void awaitReach(String dind, String vm, String address) {
        await().atMost(PROBE).pollInterval(Duration.ofMillis(200)).until(() -> reaches(dind, vm, address));
    }

    private static boolean reaches(String dind, String vm, String address) throws InterruptedException {
        return RealEngine.execInVm(dind, vm, "ping", "-c", "2", "-W", "1", address).exitCode() == 0;
    }

    private static int ttlOfReply(String dind, String vm, String address) throws InterruptedException {
        Matcher ttl = Pattern.compile("ttl=(\\d+)")
                .matcher(RealEngine.execInVm(dind, vm, "ping", "-c", "1", "-W", "1", address).output());
        return ttl.find() ? Integer.parseInt(ttl.group(1)) : -1;
    }

    private static String routes(String dind, String vm) throws InterruptedException {
        return RealEngine.execInVm(dind, vm, "ip", "route").output();
    }

    /** Runs a shell command in a VM's network namespace with the DinD's tools and rights (a test's lever only). */
    private static RealEngine.ExecResult nsenter(String dind, String vm, String command) throws InterruptedException {
        return RealEngine.exec(dind, "sh", "-c", "nsenter -t \"$(docker inspect -f '{{.State.Pid}}' " + vm
                + ")\" -n sh -c '" + command + "'");
    }

    private static String gateway(String hostNetwork) {
        return RealEngine.HOST.inspectNetworkCmd().withNetworkId(hostNetwork).exec().getIpam().getConfig().get(0)
                .getGateway();
    }

    /** Packets the DinD's CYROID-RANGE chain dropped so far. */
    private static long wallDrops(String dind) throws InterruptedException {
        long total = 0;
        Matcher drop = Pattern.compile("\\[(\\d+):\\d+] -A CYROID-RANGE .* -j DROP")
                .matcher(RealEngine.exec(dind, "iptables-save", "-c", "-t", "filter").output());
        while (drop.find()) {
            total += Long.parseLong(drop.group(1));
        }
        return total;
    }
}

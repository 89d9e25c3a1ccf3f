package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's walls on the real engine, with two ranges of the sample blueprint running: no VM reaches its own DinD's
 * or the other DinD's engine, the other DinD, cyroid-mgmt or the host; no DinD reaches another DinD, cyroid-mgmt or
 * the host; cyroid-mgmt does not reach a DinD; no DinD answers ARP on cyroid-ranges for its inner addresses. Each
 * refusal has a control that the same probe succeeds where it is meant to, so none of them is vacuous.
 * Traffic goes only to loopback-bound or own listeners: containers this test or its server created, and the host's
 * own addresses on the two Cyroid networks, where the test listens itself.
 */
class WallsIT extends ServerOnRealEngine {

    static final Duration DEPLOY = Duration.ofSeconds(240);
    static final String BUSYBOX = "cyroid/vm-busybox:latest";
    static final int PORT = 7000;
    /** A DinD's would-be engine ports: nothing may answer on them, from anywhere in a range. */
    static final List<Integer> ENGINE_PORTS = List.of(2375, 2376);

    /** Shell functions that print one line per probe: "tcp ADDR:PORT open|closed", "ping ADDR answers|silent". */
    static final String PROBES = """
            tcp() { if nc -w 2 "$1" "$2" </dev/null >/dev/null 2>&1; then echo "tcp $1:$2 open"; \
            else echo "tcp $1:$2 closed"; fi; }
            png() { if ping -c 1 -W 1 "$1" >/dev/null 2>&1; then echo "ping $1 answers"; \
            else echo "ping $1 silent"; fi; }
            """;

    private final List<String> ownContainers = new ArrayList<>();
    private ServerSocket hostListener;

    @AfterEach
    void removeOwnContainers() throws IOException {
        ownContainers.forEach(id -> RealEngine.HOST.removeContainerCmd(id).withForce(true).exec());
        if (hostListener != null) {
            hostListener.close();
        }
    }

    @Test
    void rangesAreWalledOffFromEachOtherTheManagementPlaneAndTheHost() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-walls"));
        String a = api.requestRange(blueprintId, "walls-a");
        String b = api.requestRange(blueprintId, "walls-b");
        String dindA = api.awaitStatus(a, "DEPLOYED", DEPLOY).get("dind").get("containerName").asText();
        String dindB = api.awaitStatus(b, "DEPLOYED", DEPLOY).get("dind").get("containerName").asText();
        String ipA = rangesAddress(dindA);
        String ipB = rangesAddress(dindB);
        String rangesGateway = gateway("cyroid-ranges");
        String mgmtGateway = gateway("cyroid-mgmt");
        int hostPort = listenOnTheHost();

        // a listener in each DinD's own network namespace, and one on cyroid-mgmt
        for (String dind : List.of(dindA, dindB)) {
            assertThat(RealEngine.exec(dind, "docker", "run", "-d", "--name", "walls-listener", "--network", "host",
                    BUSYBOX, "httpd", "-f", "-p", String.valueOf(PORT)).exitCode()).isZero();
        }
        String mgmtListener = container("walls-it-mgmt", "cyroid-mgmt", null, "httpd", "-f", "-p",
                String.valueOf(PORT));
        String mgmtIp = address(mgmtListener, "cyroid-mgmt");
        // controls: every listener answers over the network, from where it is meant to be reached
        awaitOpen(ipA, PORT);
        awaitOpen(ipB, PORT);
        awaitOpen(mgmtIp, PORT);
        try (Socket ignored = new Socket()) {
            ignored.connect(new InetSocketAddress(rangesGateway, hostPort), 2000);
        }

        // ---- VMs
        assertThat(RealEngine.execInVm(dindA, "db", "httpd", "-p", String.valueOf(PORT)).exitCode()).isZero();
        List<String> vmProbes = new ArrayList<>(List.of("png 10.0.1.20", "tcp 10.0.1.20 " + PORT));
        for (int port : ENGINE_PORTS) {
            vmProbes.addAll(List.of("tcp 10.0.1.1 " + port, "tcp 10.0.2.1 " + port, "tcp " + ipA + " " + port,
                    "tcp " + ipB + " " + port));
        }
        // the DinD's own listener (open from the DinD itself, below) through the VM's gateways
        vmProbes.addAll(List.of("tcp 10.0.1.1 " + PORT, "tcp 10.0.2.1 " + PORT));
        vmProbes.addAll(List.of("png " + ipB, "tcp " + ipB + " " + PORT, "png " + rangesGateway,
                "png " + mgmtGateway, "tcp " + rangesGateway + " " + hostPort, "tcp " + mgmtGateway + " " + hostPort,
                "png " + mgmtIp, "tcp " + mgmtIp + " " + PORT));
        Map<String, String> fromVm = probe(RealEngine.execInVm(dindA, "web", "sh", "-c", script(vmProbes)));
        assertThat(fromVm).as("control: VMs on one network reach each other")
                .containsEntry("ping 10.0.1.20", "answers").containsEntry("tcp 10.0.1.20:" + PORT, "open");
        assertThat(fromVm).as("a VM reaches no engine, no other DinD, no cyroid-mgmt, not the host")
                .hasSize(vmProbes.size())
                .allSatisfy((probe, result) -> {
                    if (!probe.contains("10.0.1.20")) {
                        assertThat(result).as(probe).isIn("closed", "silent");
                    }
                });

        // ---- DinD to DinD, cyroid-mgmt and the host, both ways; the DinD's own address is the control
        long droppedBefore = dropped("cyroid: no DinD reaches another DinD");
        for (String[] pair : List.of(new String[] {dindA, ipA, ipB}, new String[] {dindB, ipB, ipA})) {
            String own = pair[1];
            String other = pair[2];
            Map<String, String> fromDind = probe(RealEngine.exec(pair[0], "docker", "run", "--rm", "--network",
                    "host", BUSYBOX, "sh", "-c", script(List.of("tcp " + own + " " + PORT, "tcp " + other + " " + PORT,
                            "tcp " + other + " 2375", "png " + other, "png " + rangesGateway,
                            "tcp " + rangesGateway + " " + hostPort, "tcp " + mgmtGateway + " " + hostPort,
                            "png " + mgmtIp, "tcp " + mgmtIp + " " + PORT))));
            assertThat(fromDind).as("control: the probe reaches the DinD's own listener on its cyroid-ranges address")
                    .containsEntry("tcp " + own + ":" + PORT, "open");
            assertThat(fromDind).as("from %s", pair[0]).hasSize(9).allSatisfy((probe, result) -> {
                if (!probe.equals("tcp " + own + ":" + PORT)) {
                    assertThat(result).as(probe).isIn("closed", "silent");
                }
            });
        }
        assertThat(dropped("cyroid: no DinD reaches another DinD")).as("the wall's own rule dropped them")
                .isGreaterThan(droppedBefore);

        // ---- cyroid-mgmt to a DinD; its own address is the control
        Map<String, String> fromMgmt = probe(RealEngine.exec(mgmtListener, "sh", "-c", script(List.of(
                "tcp " + mgmtIp + " " + PORT, "tcp " + ipB + " " + PORT, "png " + ipB))));
        assertThat(fromMgmt).containsExactlyInAnyOrderEntriesOf(Map.of("tcp " + mgmtIp + ":" + PORT, "open",
                "tcp " + ipB + ":" + PORT, "closed", "ping " + ipB, "silent"));

        // ---- ARP on cyroid-ranges
        assertThat(RealEngine.exec(dindA, "cat", "/proc/sys/net/ipv4/conf/all/arp_ignore").output().strip())
                .isEqualTo("1");
        String asker = container("walls-it-arp", "cyroid-ranges", null, "sleep", "300");
        // control: by default Linux answers ARP for an address it holds on another interface (here loopback), which
        // is what a DinD did for its inner gateway before
        String decoy = container("walls-it-decoy", "cyroid-ranges", Capability.NET_ADMIN, "sh", "-c",
                "ip addr add 10.0.9.1/32 dev lo && sleep 300");
        String decoyMac = mac(decoy, "cyroid-ranges");
        List<String> ours = List.of(mac(dindA, "cyroid-ranges"), mac(dindB, "cyroid-ranges"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(arpRepliers(asker, "10.0.9.1"))
                .as("decoy answers for its loopback address").contains(decoyMac));
        assertThat(arpRepliers(asker, ipA)).as("control: a DinD answers for its own address").contains(ours.get(0));
        // other people's DinDs may share cyroid-ranges on a test machine: only this test's DinDs are judged
        for (String inner : List.of("10.0.1.1", "10.0.2.1", "10.0.1.20")) {
            assertThat(arpRepliers(asker, inner)).as("no DinD of ours answers ARP for %s", inner)
                    .doesNotContainAnyElementsOf(ours);
        }

        api.destroy(a);
        api.destroy(b);
        api.awaitStatus(a, "DESTROYED", DEPLOY);
        api.awaitStatus(b, "DESTROYED", DEPLOY);
    }

    static String script(List<String> probes) {
        return PROBES + String.join("\n", probes) + "\n";
    }

    /** "tcp 1.2.3.4:80" -> "open", "ping 1.2.3.4" -> "silent", from the probe's output. */
    static Map<String, String> probe(RealEngine.ExecResult result) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String line : result.output().split("\n")) {
            String[] words = line.strip().split(" ");
            if (words.length == 3 && (words[0].equals("tcp") || words[0].equals("ping"))) {
                found.put(words[0] + " " + words[1], words[2]);
            }
        }
        assertThat(found).as("probe output: %s", result.output()).isNotEmpty();
        return found;
    }

    private int listenOnTheHost() throws IOException {
        hostListener = new ServerSocket(0);
        Thread accepting = new Thread(() -> {
            while (!hostListener.isClosed()) {
                try (Socket ignored = hostListener.accept()) {
                    // accepted: that is all a probe needs
                } catch (IOException closed) {
                    return;
                }
            }
        }, "walls-it-host-listener");
        accepting.setDaemon(true);
        accepting.start();
        return hostListener.getLocalPort();
    }

    private String container(String prefix, String network, Capability capability, String... command) {
        HostConfig config = HostConfig.newHostConfig().withNetworkMode(network);
        if (capability != null) {
            config.withCapAdd(capability);
        }
        String id = RealEngine.HOST.createContainerCmd(BUSYBOX).withName(prefix + "-" + UUID.randomUUID())
                .withLabels(Map.of("cyroid.test", "walls")).withHostConfig(config).withCmd(command).exec().getId();
        ownContainers.add(id);
        RealEngine.HOST.startContainerCmd(id).exec();
        return id;
    }

    /** The MAC addresses that answered ARP requests (broadcast each time) for the address on cyroid-ranges. */
    private static List<String> arpRepliers(String asker, String address) throws InterruptedException {
        String output = RealEngine.exec(asker, "arping", "-b", "-c", "2", "-w", "3", "-I", "eth0", address).output();
        assertThat(output).as("arping output").contains("Received");
        Matcher matcher = Pattern.compile("reply from \\S+ \\[([0-9a-fA-F:]{17})\\]").matcher(output);
        List<String> macs = new ArrayList<>();
        while (matcher.find()) {
            macs.add(matcher.group(1).toLowerCase());
        }
        return macs;
    }

    private static String mac(String container, String network) {
        return RealEngine.HOST.inspectContainerCmd(container).exec().getNetworkSettings().getNetworks().get(network)
                .getMacAddress().toLowerCase();
    }

    /** Packets the walls' rule with this comment has dropped so far, read from the host's firewall. */
    private long dropped(String comment) throws InterruptedException {
        String id = RealEngine.HOST.createContainerCmd("cyroid/dind:latest")
                .withEntrypoint("bash", "-c", "iptables-nft -w 5 -L CYROID-FORWARD -v -x -n 2>/dev/null"
                        + " || iptables-legacy -w 5 -L CYROID-FORWARD -v -x -n")
                .withLabels(Map.of("cyroid.test", "walls"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host").withCapAdd(Capability.NET_ADMIN))
                .exec().getId();
        ownContainers.add(id);
        RealEngine.HOST.startContainerCmd(id).exec();
        RealEngine.HOST.waitContainerCmd(id).start().awaitStatusCode();
        String output = RealEngine.logs(id);
        for (String line : output.split("\n")) {
            if (line.contains(comment)) {
                return Long.parseLong(line.strip().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no rule '" + comment + "' in CYROID-FORWARD: " + output);
    }

    private static void awaitOpen(String host, int port) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
            }
        });
    }

    private static String rangesAddress(String dind) {
        return address(dind, "cyroid-ranges");
    }

    private static String address(String container, String network) {
        return RealEngine.HOST.inspectContainerCmd(container).exec().getNetworkSettings().getNetworks().get(network)
                .getIpAddress();
    }

    private static String gateway(String network) {
        return RealEngine.HOST.inspectNetworkCmd().withNetworkId(network).exec().getIpam().getConfig().get(0)
                .getGateway();
    }
}

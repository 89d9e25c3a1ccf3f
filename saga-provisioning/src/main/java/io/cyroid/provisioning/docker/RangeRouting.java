package io.cyroid.provisioning.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import io.cyroid.blueprint.Ipv4Cidr;
import io.cyroid.blueprint.RouteSpec;
import io.cyroid.provisioning.EngineException;
import io.cyroid.provisioning.ProvisioningProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Routing inside a range's DinD: the firewall rules that let routed topologies work and keep internet networks
 * inside their walls (per DinD), and each VM's routing table (per VM start). See docs/architecture.md, "Routed
 * topologies", for why each rule is there.
 */
final class RangeRouting {

    /** Our chain in the DinD, jumped to from Docker's DOCKER-USER, which Docker evaluates before its own rules. */
    static final String CHAIN = "CYROID-RANGE";
    /**
     * Where no packet from a range may go, even from an internet network: special-purpose and private ranges, which
     * hold the host's own addresses, its Docker networks and its LAN. The management networks are added as
     * configured, in case they are not private.
     */
    static final List<String> NEVER_OUT = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4");
    private static final int EXEC_SECONDS = 30;

    private final DockerClients clients;
    private final ProvisioningProperties properties;

    RangeRouting(DockerClients clients, ProvisioningProperties properties) {
        this.clients = clients;
        this.properties = properties;
    }

    /** Installs (again: idempotent and atomic) the DinD's rules; run whenever a range takes its DinD. */
    void applyWalls(String dindContainer) {
        Set<String> blocked = new LinkedHashSet<>(NEVER_OUT);
        blocked.add(Ipv4Cidr.parse(properties.getMgmtSubnet()).normalized().toString());
        blocked.add(Ipv4Cidr.parse(properties.getRangesSubnet()).normalized().toString());
        exec(dindContainer, "setting the range's firewall rules", "sh", "-c", wallsScript(List.copyOf(blocked)));
    }

    /**
     * The DinD's rules, in one iptables-restore so a re-run never leaves a moment without them:
     * <ul>
     * <li>frames that stay on one bridge are accepted before Docker's isolation rules see them: with
     * br_netfilter, a frame from a VM to a router VM on the same network, addressed to a host on another
     * network, would otherwise be dropped as "leaving the network's subnet". The DinD itself still routes
     * nothing between networks: that traffic is not bridged and meets Docker's isolation as before;</li>
     * <li>replies of connections that were let in pass;</li>
     * <li>anything the DinD would route out of its inner bridges (only internet networks have a way out) to the
     * blocked ranges is dropped.</li>
     * </ul>
     * DOCKER-USER is created if the engine has not made it yet; the engine keeps an existing one's rules.
     */
    static String wallsScript(List<String> blocked) {
        StringBuilder rules = new StringBuilder("*filter\n:" + CHAIN + " - [0:0]\n-F " + CHAIN + "\n")
                .append("-A ").append(CHAIN).append(" -m physdev --physdev-is-bridged -j ACCEPT\n")
                .append("-A ").append(CHAIN).append(" -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n");
        for (String cidr : blocked) {
            rules.append("-A ").append(CHAIN).append(" ! -o br-+ -d ").append(Ipv4Cidr.parse(cidr)).append(" -j DROP\n");
        }
        rules.append("COMMIT\n");
        return "set -e\n"
                + "iptables -N DOCKER-USER 2>/dev/null || true\n"
                + "iptables-restore --noflush <<'RULES'\n" + rules + "RULES\n"
                + "iptables -C DOCKER-USER -j " + CHAIN + " 2>/dev/null || iptables -I DOCKER-USER -j " + CHAIN + "\n";
    }

    /** The label that carries a VM's routes, so a recovery that knows only the VM's name can set them again. */
    static String routesLabel(List<RouteSpec> routes) {
        return routes.stream().map(r -> r.to() + " " + r.via()).collect(Collectors.joining(","));
    }

    static List<RouteSpec> fromLabel(String label) {
        if (label == null || label.isBlank()) {
            return List.of();
        }
        return Arrays.stream(label.split(",")).map(pair -> pair.split(" ", 2))
                .map(parts -> new RouteSpec(parts[0], parts.length > 1 ? parts[1] : "")).toList();
    }

    /**
     * Sets a started VM's routing table from outside the VM (in its network namespace, with the DinD's tools), so
     * the VM needs no right to change it: no default route unless it is on an internet network, then the routes of
     * its {@link CyroidLabels#ROUTES} label. A VM's routes live as long as its network namespace, so this runs
     * after every start, by the provisioning steps and by a recovery.
     */
    void applyRoutes(String rangeId, String vmContainerId) {
        DockerClient inner = clients.inner(rangeId);
        InspectContainerResponse vm = inner.inspectContainerCmd(vmContainerId).exec();
        String defaultVia = null;
        for (String networkName : vm.getNetworkSettings().getNetworks().keySet()) {
            Network network = inner.inspectNetworkCmd().withNetworkId(networkName).exec();
            if (!Boolean.TRUE.equals(network.getInternal()) && network.getIpam() != null
                    && network.getIpam().getConfig() != null && !network.getIpam().getConfig().isEmpty()) {
                defaultVia = network.getIpam().getConfig().get(0).getGateway();
                break;
            }
        }
        Long pid = vm.getState().getPidLong();
        String name = vm.getName() == null ? vmContainerId : vm.getName().replaceFirst("^/", "");
        if (pid == null || pid <= 0) {
            // it died between its start and now: say how, as the start check would have
            Long exit = vm.getState().getExitCodeLong();
            throw new EngineException("VM " + name + (exit == null ? " is not running" : " exited with code " + exit)
                    + " (its routes could not be set): " + DockerRangeEngine.logTail(inner, vmContainerId));
        }
        Map<String, String> labels = vm.getConfig() == null ? null : vm.getConfig().getLabels();
        List<RouteSpec> routes = fromLabel(labels == null ? null : labels.get(CyroidLabels.ROUTES));
        exec(DockerRangeEngine.dindName(rangeId), "setting the routes of VM " + name, "nsenter", "-t",
                String.valueOf(pid), "-n", "sh", "-c", routesScript(defaultVia, routes));
    }

    /**
     * The inner engine (20.10 in the offline image) gives a VM on an internal network a default route to its DinD
     * anyway (Docker's isolation drops what takes it); removing it makes "no way out" visible in the VM's own table. Addresses are parsed
     * again and written back by {@link Ipv4Cidr}, so nothing but dotted quads reaches the shell.
     */
    static String routesScript(String defaultVia, List<RouteSpec> routes) {
        List<String> lines = new ArrayList<>(List.of("set -e", "while ip route del default 2>/dev/null; do :; done"));
        if (defaultVia != null) {
            lines.add("ip route replace default via " + Ipv4Cidr.format(Ipv4Cidr.parseAddress(defaultVia)));
        }
        for (RouteSpec route : routes) {
            Ipv4Cidr to = Ipv4Cidr.parse(route.to()).normalized();
            lines.add("ip route replace " + (to.prefix() == 0 ? "default" : to.toString()) + " via "
                    + Ipv4Cidr.format(Ipv4Cidr.parseAddress(route.via())));
        }
        return String.join("\n", lines) + "\n";
    }

    /** Runs a command in the DinD and waits for it; a non-zero exit fails the step with the command's output. */
    private void exec(String dindContainer, String what, String... command) {
        DockerClient host = clients.host();
        String execId = host.execCreateCmd(dindContainer).withCmd(command).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try {
            host.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(EXEC_SECONDS, TimeUnit.SECONDS);
            // the exit code may lag the end of the output under load (as in GoldenImages)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXEC_SECONDS);
            while (Boolean.TRUE.equals(host.inspectExecCmd(execId).exec().isRunning())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while " + what);
        }
        Long code = host.inspectExecCmd(execId).exec().getExitCodeLong();
        if (code == null || code != 0) {
            String output = out.toString().strip().replaceAll("\\s*\\n\\s*", " | ");
            throw new EngineException(what + " failed (exit " + code + "): "
                    + (output.length() <= 600 ? output : output.substring(0, 600) + "..."));
        }
    }
}

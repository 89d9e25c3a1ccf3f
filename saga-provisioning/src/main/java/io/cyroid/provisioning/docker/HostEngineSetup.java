package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the host engine must offer before any range is provisioned, checked once at start: the engine answers, the
 * DinD image is there, the two host networks exist with their subnets, and a DinD security mode that runs here.
 * Any failure stops the server with a message that says what to do.
 */
public class HostEngineSetup implements HostEngine {

    private static final Logger log = LoggerFactory.getLogger(HostEngineSetup.class);
    static final String NO_ICC = "com.docker.network.bridge.enable_icc";

    private final DockerClients clients;
    private final ProvisioningProperties properties;
    private volatile DindSecurityMode securityMode;
    private volatile int hostCpus = Integer.MAX_VALUE;
    private volatile long hostMemory = Long.MAX_VALUE;
    private volatile Set<String> hostRuntimes = Set.of();

    public HostEngineSetup(DockerClients clients, ProvisioningProperties properties) {
        this.clients = clients;
        this.properties = properties;
    }

    public DindSecurityMode securityMode() {
        if (securityMode == null) {
            throw new IllegalStateException("host engine not prepared yet");
        }
        return securityMode;
    }

    /** CPUs of the host engine: the ceiling for a DinD's CPU limit. */
    public int hostCpus() {
        return hostCpus;
    }

    /** Memory of the host engine in bytes: no DinD can be given more. */
    public long hostMemory() {
        return hostMemory;
    }

    @Override
    public void ping() {
        clients.host().pingCmd().exec();
    }

    public void prepare() {
        DockerClient host = clients.host();
        try {
            host.pingCmd().exec();
            var info = host.infoCmd().exec();
            hostCpus = info.getNCPU() == null || info.getNCPU() < 1 ? Integer.MAX_VALUE : info.getNCPU();
            hostMemory = info.getMemTotal() == null || info.getMemTotal() < 1 ? Long.MAX_VALUE : info.getMemTotal();
            hostRuntimes = info.getRuntimes() == null ? Set.of() : Set.copyOf(info.getRuntimes().keySet());
        } catch (RuntimeException e) {
            throw new IllegalStateException("no Docker engine answers (" + e.getMessage() + "): start one, or set"
                    + " DOCKER_HOST; scripts/run.sh installs and starts one on Debian", e);
        }
        try {
            host.inspectImageCmd(properties.getDindImage()).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("the DinD image " + properties.getDindImage() + " is not on the host"
                    + " engine: run scripts/build-dind-image.sh or set DIND_IMAGE");
        }
        Network mgmt = ensureNetwork(host, properties.getMgmtNetwork(), properties.getMgmtSubnet(), "mgmt");
        Network ranges = ensureNetwork(host, properties.getRangesNetwork(), properties.getRangesSubnet(), "ranges");
        new HostWalls(properties).apply(host, ranges, mgmt);
        securityMode = resolveSecurityMode(host);
        log.info("host engine ready: DinD image {}, security mode {}, networks {} and {}",
                properties.getDindImage(), securityMode, properties.getMgmtNetwork(), properties.getRangesNetwork());
    }

    /**
     * The network, created when missing. A new cyroid-ranges gets {@code enable_icc=false}: Docker itself then drops
     * traffic between two DinDs, besides the host walls. One that exists without it is kept (recreating it would
     * need every DinD disconnected): the walls' own rule drops that traffic either way.
     */
    private Network ensureNetwork(DockerClient host, String name, String subnet, String role) {
        Optional<Network> existing = host.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> name.equals(n.getName())).findFirst();
        if (existing.isPresent()) {
            boolean sameSubnet = existing.get().getIpam().getConfig().stream()
                    .anyMatch(c -> subnet.equals(c.getSubnet()));
            if (!sameSubnet) {
                throw new IllegalStateException("host network " + name + " exists with another subnet than " + subnet
                        + ": remove it or set the subnet variable (CYROID_MGMT_SUBNET / CYROID_RANGES_SUBNET)");
            }
            return existing.get();
        }
        String id = host.createNetworkCmd().withName(name).withDriver("bridge")
                .withLabels(Map.of(CyroidLabels.MANAGED, "true", CyroidLabels.ROLE, role))
                .withOptions("ranges".equals(role) ? Map.of(NO_ICC, "false") : Map.of())
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)
                        .withGateway(firstHost(subnet))))
                .exec().getId();
        log.info("created host network {} ({})", name, subnet);
        return host.inspectNetworkCmd().withNetworkId(id).exec();
    }

    static String firstHost(String cidr) {
        String[] octets = cidr.substring(0, cidr.indexOf('/')).split("\\.");
        return octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + 1);
    }

    private DindSecurityMode resolveSecurityMode(DockerClient host) {
        StringBuilder failures = new StringBuilder();
        for (DindSecurityMode mode : candidates(properties.getDindSecurityMode(), hostRuntimes)) {
            Optional<String> failure = probe(host, mode);
            if (failure.isEmpty()) {
                return mode;
            }
            failures.append(mode).append(": ").append(failure.get()).append("; ");
        }
        throw new IllegalStateException("no DinD security mode runs on this host (" + failures + "). Set"
                + " DIND_SECURITY_MODE to sysbox, privileged or capabilities on a host that allows it");
    }

    /**
     * The modes to probe, strongest wall first: sysbox when the host engine lists its runtime, then privileged,
     * then the measured capability set. A forced sysbox without the runtime fails here, before any probe, so the
     * message names what is missing rather than an engine error.
     */
    static List<DindSecurityMode> candidates(DindSecurityMode wanted, Set<String> hostRuntimes) {
        boolean sysbox = hostRuntimes.contains(DindSecurity.SYSBOX_RUNTIME);
        if (wanted == DindSecurityMode.SYSBOX && !sysbox) {
            throw new IllegalStateException("DIND_SECURITY_MODE=sysbox, but the host engine has no runtime named "
                    + DindSecurity.SYSBOX_RUNTIME + " (docker info lists " + hostRuntimes.stream().sorted().toList()
                    + "): install sysbox and restart the engine, or choose another mode");
        }
        if (wanted != DindSecurityMode.AUTO) {
            return List.of(wanted);
        }
        return sysbox
                ? List.of(DindSecurityMode.SYSBOX, DindSecurityMode.PRIVILEGED, DindSecurityMode.CAPABILITIES)
                : List.of(DindSecurityMode.PRIVILEGED, DindSecurityMode.CAPABILITIES);
    }

    /** Starts a throwaway container from the DinD image with the mode's rights; empty when it ran. */
    private Optional<String> probe(DockerClient host, DindSecurityMode mode) {
        String id = null;
        try {
            id = host.createContainerCmd(properties.getDindImage())
                    .withName("cyroid-probe-" + mode.name().toLowerCase() + "-" + ProcessHandle.current().pid())
                    .withLabels(Map.of(CyroidLabels.MANAGED, "true", CyroidLabels.ROLE, "probe"))
                    .withEntrypoint("true")
                    .withHostConfig(DockerRangeEngine.securityFor(mode)
                            .withNetworkMode("none"))
                    .exec().getId();
            host.startContainerCmd(id).exec();
            Integer code = host.waitContainerCmd(id).start().awaitStatusCode();
            return code != null && code == 0 ? Optional.empty() : Optional.of("probe exited with " + code);
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage() == null ? e.toString() : e.getMessage().strip());
        } finally {
            if (id != null) {
                try {
                    host.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
                } catch (RuntimeException e) {
                    log.warn("could not remove probe container {}: {}", id, e.getMessage());
                }
            }
        }
    }
}

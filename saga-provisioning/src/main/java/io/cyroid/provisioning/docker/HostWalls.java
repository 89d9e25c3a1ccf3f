package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The walls on the host engine's firewall: no DinD reaches another DinD, nothing crosses between cyroid-ranges and
 * cyroid-mgmt, and no DinD opens a connection to the host (docs/security.md, "Walls"). The rules are those of
 * scripts/host-walls.sh, run in a short-lived container of the DinD image on the host's network with
 * {@code NET_ADMIN}: the server may itself run in a container (docker-compose.yml), where its own iptables would be
 * its container's, not the host's; the host engine is all it can count on, and the DinD image has iptables.
 */
class HostWalls {

    static final String SCRIPT = "host-walls.sh";
    static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

    private static final Logger log = LoggerFactory.getLogger(HostWalls.class);
    private static final long TIMEOUT_SECONDS = 60;

    private final ProvisioningProperties properties;

    HostWalls(ProvisioningProperties properties) {
        this.properties = properties;
    }

    /** The Linux bridge of a Docker bridge network: its own name option, or what Docker names it by default. */
    static String bridgeOf(Network network) {
        String named = network.getOptions() == null ? null : network.getOptions().get(BRIDGE_NAME_OPTION);
        return named != null && !named.isBlank() ? named : "br-" + network.getId().substring(0, 12);
    }

    /**
     * Applies the walls, replacing any of before (a network recreated since has another bridge).
     *
     * @throws IllegalStateException when the rules could not be applied: the server must not run ranges without them
     */
    void apply(DockerClient host, Network ranges, Network mgmt) {
        if (!properties.isHostWalls()) {
            log.warn("host walls are off (CYROID_HOST_WALLS=false): DinDs may reach one another, cyroid-mgmt and the"
                    + " host unless the host's firewall stops them (docs/security.md)");
            return;
        }
        String rangesBridge = bridgeOf(ranges);
        String mgmtBridge = bridgeOf(mgmt);
        String id = host.createContainerCmd(properties.getDindImage())
                // pid and a random part: several servers may start at once on one host (tests, a cluster)
                .withName("cyroid-walls-" + ProcessHandle.current().pid() + "-"
                        + java.util.UUID.randomUUID().toString().substring(0, 8))
                .withLabels(Map.of(CyroidLabels.MANAGED, "true", CyroidLabels.ROLE, "probe"))
                .withEntrypoint("bash", "-c", script(), "host-walls", "apply")
                .withEnv("CYROID_RANGES_BRIDGE=" + rangesBridge, "CYROID_MGMT_BRIDGE=" + mgmtBridge)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host")
                        .withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW))
                .exec().getId();
        try {
            host.startContainerCmd(id).exec();
            Integer code = host.waitContainerCmd(id).start().awaitStatusCode(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = DockerRangeEngine.logTail(host, id);
            if (code == null || code != 0) {
                throw new IllegalStateException("the host walls could not be applied (exit " + code + "): " + output
                        + ". Run the server where it may change the host's firewall, or set CYROID_HOST_WALLS=false"
                        + " and build the walls yourself (docs/security.md)");
            }
            log.info("host walls: {}", output);
        } finally {
            try {
                host.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException e) {
                log.warn("could not remove the walls container {}: {}", id, e.getMessage());
            }
        }
    }

    static String script() {
        try (InputStream in = HostWalls.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

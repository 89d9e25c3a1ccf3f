package io.cyroid.api.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.RangeDegraded;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRecovered;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.VmStarted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The route files for every range state, through the writer's Axon annotations as the processor calls them: a file
 * only while the range is DEPLOYED or DEGRADED, routing each VM of its blueprint to that VM's console endpoint.
 */
class TraefikRouteWriterTest {

    static final String RANGE = "7d2c4a5e-0000-4000-8000-000000000001";
    static final Blueprint BLUEPRINT = BlueprintParser.fromYaml("""
            name: two-vms
            networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
            vms:
              - {name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}
              - {name: db, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.20}]}
            """);

    @TempDir
    Path folder;

    AnnotationEventHandlerAdapter writer;

    @BeforeEach
    void writer() {
        writer = new AnnotationEventHandlerAdapter(new TraefikRouteWriter(
                new TraefikProperties(folder, "http://api:8080"), rangeId -> BLUEPRINT));
    }

    void handle(Object event) throws Exception {
        writer.handle(GenericEventMessage.asEventMessage(event));
    }

    Path file() {
        return folder.resolve("range-" + RANGE + ".yml");
    }

    @Test
    void aFileOnlyWhileTheRangeIsUp() throws Exception {
        handle(new RangeRequested(RANGE, "monday", "bp", BLUEPRINT, "admin", 1, null));
        assertThat(file()).as("REQUESTED").doesNotExist();
        handle(new DinDCreated(RANGE, "c1", "cyroid-dind-x", "172.30.0.5", "unix:///x"));
        handle(new VmStarted(RANGE, "web", "v1", List.of()));
        assertThat(file()).as("PROVISIONING").doesNotExist();

        handle(new RangeDeployed(RANGE));
        assertThat(file()).as("DEPLOYED").exists();
        assertRoutesEveryVm();
        handle(new RangeDeployed(RANGE));
        assertRoutesEveryVm(); // again: the same file

        handle(new RangeDegraded(RANGE, "db exited"));
        assertThat(file()).as("DEGRADED: the other VMs still run").exists();
        handle(new RangeRecovered(RANGE, "db runs again"));
        assertThat(file()).as("DEPLOYED again").exists();

        handle(new RangeDestroyRequested(RANGE, "admin"));
        assertThat(file()).as("DESTROYING").doesNotExist();
        handle(new RangeDestroyed(RANGE));
        assertThat(file()).as("DESTROYED").doesNotExist();
        assertThat(folder.resolve("cyroid-api.yml")).as("the api's own route stays").exists();
        try (var left = Files.list(folder)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temp file left")
                    .containsExactly("cyroid-api.yml");
        }
    }

    @Test
    void aFailedDeployHasNoFileAndAResetRemovesAll() throws Exception {
        handle(new RangeDeployed(RANGE));
        assertThat(file()).exists();
        handle(new RangeDeploymentFailed(RANGE, "start-vm", "boom"));
        assertThat(file()).as("FAILED").doesNotExist();

        handle(new RangeDeployed(RANGE));
        handle(new RangeDeployed("other-range"));
        writer.prepareReset();
        assertThat(file()).doesNotExist();
        assertThat(folder.resolve("range-other-range.yml")).doesNotExist();
        assertThat(folder.resolve("cyroid-api.yml")).exists();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aVmWithAGraphicalConsoleAlsoGetsItsVncRouteAboveItsTerminalRoute() {
        String yaml = new TraefikRoutes(folder, "http://api:8080").configuration(RANGE, List.of("desktop", "server"),
                java.util.Set.of("desktop"));
        Map<String, Object> http = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(yaml)).get("http");
        Map<String, Map<String, Object>> routers = (Map<String, Map<String, Object>>) http.get("routers");
        Map<String, Map<String, Object>> middlewares = (Map<String, Map<String, Object>>) http.get("middlewares");
        String name = "cyroid-range-" + RANGE + "-vm-desktop";
        String terminalRule = routers.get(name).get("rule").toString();
        assertThat(routers).containsOnlyKeys(name, name + "-vnc", "cyroid-range-" + RANGE + "-vm-server");
        assertThat(routers.get(name + "-vnc"))
                .containsEntry("rule", "Path(`/range/" + RANGE + "/vm/desktop/vnc`)")
                .containsEntry("middlewares", List.of(name + "-vnc"));
        // Traefik's default priority is the rule's length: the terminal's rule would win without this one
        assertThat((Integer) routers.get(name + "-vnc").get("priority")).isGreaterThan(terminalRule.length());
        assertThat(middlewares.get(name + "-vnc")).containsEntry("replacePath",
                Map.of("path", "/api/v1/ranges/" + RANGE + "/vms/desktop/vnc"));
        // the control: the VM without one has no VNC route
        assertThat(middlewares).doesNotContainKey("cyroid-range-" + RANGE + "-vm-server-vnc");
    }

    @SuppressWarnings("unchecked")
    void assertRoutesEveryVm() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(file()));
        Map<String, Object> http = (Map<String, Object>) config.get("http");
        Map<String, Map<String, Object>> routers = (Map<String, Map<String, Object>>) http.get("routers");
        Map<String, Map<String, Object>> middlewares = (Map<String, Map<String, Object>>) http.get("middlewares");
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) http.get("services");
        String service = "cyroid-range-" + RANGE;
        assertThat(routers).hasSize(2);
        for (String vm : List.of("web", "db")) {
            String name = service + "-vm-" + vm;
            String prefix = "/range/" + RANGE + "/vm/" + vm;
            assertThat(routers.get(name)).containsEntry("rule",
                    "Path(`" + prefix + "`) || PathPrefix(`" + prefix + "/`)")
                    .containsEntry("service", service)
                    .containsEntry("middlewares", List.of(name + "-console"));
            assertThat(middlewares.get(name + "-console")).containsEntry("replacePath",
                    Map.of("path", "/api/v1/ranges/" + RANGE + "/vms/" + vm + "/console"));
        }
        assertThat(services.get(service)).containsEntry("loadBalancer",
                Map.of("servers", List.of(Map.of("url", "http://api:8080"))));
    }
}

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The foundation end to end on the real engine: two ranges of one blueprint (same 10.0.1.0/24) deployed at the same
 * time both get exactly the blueprint's addresses, each in its own inner engine; destroying them leaves nothing.
 */
class RangeDeploymentIT extends ServerOnRealEngine {

    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(180);
    static final List<String> DEPLOY_HISTORY = List.of("RangeRequested", "DinDCreated", "NetworkCreated",
            "NetworkCreated", "ImagesSeeded", "VmStarted", "VmStarted", "RangeDeployed");

    @Test
    void twoRangesOfOneBlueprintDeployAtOnceWithIdenticalAddressesAndLeaveNothingBehind() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-twins"));

        long start = System.nanoTime();
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> api.requestRange(blueprintId, "alpha"));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> api.requestRange(blueprintId, "beta"));
        List<String> ranges = List.of(first.get(), second.get());

        List<JsonNode> deployed = new ArrayList<>();
        for (String rangeId : ranges) {
            deployed.add(api.awaitStatus(rangeId, "DEPLOYED", DEPLOY_TIMEOUT));
        }
        System.out.printf("two ranges of the sample blueprint: POST -> both DEPLOYED in %d ms%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        try {
            for (JsonNode range : deployed) {
                String dind = range.get("dind").get("containerName").asText();
                assertThat(dind).isEqualTo("cyroid-range-" + range.get("rangeId").asText());
                assertThat(range.get("createdBy").asText()).isEqualTo("admin");
                assertInnerEngineHasTheBlueprint(dind);
                assertVmAddresses(dind, "web", Set.of("10.0.1.10", "10.0.2.10"));
                assertVmAddresses(dind, "db", Set.of("10.0.1.20"));
                assertThat(range.get("vms")).allSatisfy(vm -> assertThat(vm.get("status").asText())
                        .isEqualTo("RUNNING"));
                assertHistory(range.get("rangeId").asText());
            }
            assertNoEngineReachableFromAVm(deployed.get(0), deployed.get(1));
        } finally {
            for (String rangeId : ranges) {
                api.destroy(rangeId);
            }
            for (String rangeId : ranges) {
                api.awaitStatus(rangeId, "DESTROYED", DEPLOY_TIMEOUT);
                RealEngine.assertNothingLeft(rangeId);
            }
        }
        for (String rangeId : ranges) {
            List<String> types = types(api.events(rangeId));
            assertThat(types.subList(types.size() - 3, types.size()))
                    .containsExactly("RangeDestroyRequested", "DinDRemoved", "RangeDestroyed");
        }
    }

    private static void assertInnerEngineHasTheBlueprint(String dind) throws InterruptedException {
        RealEngine.ExecResult networks = RealEngine.exec(dind, "docker", "network", "inspect", "lan", "dmz",
                "--format", "{{.Name}} {{(index .IPAM.Config 0).Subnet}} {{(index .IPAM.Config 0).Gateway}}");
        assertThat(networks.exitCode()).as(networks.output()).isZero();
        assertThat(networks.output().lines().toList())
                .containsExactly("lan 10.0.1.0/24 10.0.1.1", "dmz 10.0.2.0/24 10.0.2.1");
        RealEngine.ExecResult containers = RealEngine.exec(dind, "docker", "ps", "--format", "{{.Names}}");
        assertThat(new TreeSet<>(containers.output().lines().toList())).containsExactly("db", "web");
    }

    /** What the VM itself sees on its interfaces, not what the engine says. */
    private static void assertVmAddresses(String dind, String vm, Set<String> expected) throws InterruptedException {
        RealEngine.ExecResult addresses = RealEngine.execInVm(dind, vm, "ip", "-4", "-o", "addr");
        assertThat(addresses.exitCode()).as(addresses.output()).isZero();
        Set<String> ips = addresses.output().lines()
                .map(line -> line.replaceAll(".* inet ([0-9.]+)/.*", "$1"))
                .filter(ip -> !ip.startsWith("127."))
                .collect(Collectors.toSet());
        assertThat(ips).as("addresses of %s in %s", vm, dind).isEqualTo(expected);
    }

    private void assertHistory(String rangeId) {
        JsonNode events = api.events(rangeId);
        assertDeployHistory(types(events));
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertThat(event.get("sequence").asLong()).isEqualTo(i);
            assertThat(event.get("user").asText()).as("user of %s", event).isEqualTo("admin");
            assertThat(event.get("correlationId").asText()).isNotBlank();
            assertThat(event.get("payload").get("rangeId").asText()).isEqualTo(rangeId);
        }
        assertThat(events.get(0).get("payload").get("blueprint").get("name").asText()).isEqualTo("it-twins");
    }

    /** The deploy history of the sample: networks and images are created side by side, in the engine's order. */
    static void assertDeployHistory(List<String> types) {
        assertThat(types).hasSize(DEPLOY_HISTORY.size());
        assertThat(types.subList(0, 2)).containsExactlyElementsOf(DEPLOY_HISTORY.subList(0, 2));
        assertThat(types.subList(2, 5)).containsExactlyInAnyOrderElementsOf(DEPLOY_HISTORY.subList(2, 5));
        assertThat(types.subList(5, 8)).containsExactlyElementsOf(DEPLOY_HISTORY.subList(5, 8));
    }

    /** A trainee in a VM finds no engine API: not its own DinD's (via the gateway), not the other range's. */
    private static void assertNoEngineReachableFromAVm(JsonNode range, JsonNode other) throws InterruptedException {
        String dind = range.get("dind").get("containerName").asText();
        String otherDind = other.get("dind").get("mgmtIp").asText();
        // control: the same probe does reach a server on the range's own network, so its failures below mean
        // "unreachable", not "the probe is broken"
        RealEngine.ExecResult serve = RealEngine.execInVm(dind, "db", "sh", "-c",
                "mkdir -p /tmp/www && echo cyroid-ok > /tmp/www/index.html && httpd -p 8080 -h /tmp/www");
        assertThat(serve.exitCode()).as(serve.output()).isZero();
        RealEngine.ExecResult control = RealEngine.execInVm(dind, "web", "timeout", "5", "wget", "-q", "-O", "-",
                "http://10.0.1.20:8080/");
        assertThat(control.output()).as("exit %s", control.exitCode()).contains("cyroid-ok");
        for (String target : List.of("10.0.1.1", otherDind)) {
            for (String port : List.of("2375", "2376")) {
                RealEngine.ExecResult probe = RealEngine.execInVm(dind, "web", "timeout", "5", "wget", "-q",
                        "-O", "-", "http://" + target + ":" + port + "/version");
                assertThat(probe.exitCode()).as("engine API at %s:%s from a VM: %s", target, port, probe.output())
                        .isNotZero();
                assertThat(probe.output()).doesNotContain("ApiVersion");
            }
        }
    }

    static List<String> types(JsonNode events) {
        return StreamSupport.stream(events.spliterator(), false).map(e -> e.get("type").asText()).toList();
    }
}

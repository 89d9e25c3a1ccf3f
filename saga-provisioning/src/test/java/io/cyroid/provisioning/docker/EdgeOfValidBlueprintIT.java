package io.cyroid.provisioning.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.BlueprintValidator;
import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.provisioning.ProvisioningProperties;
import io.cyroid.provisioning.RangeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validation mirrors the engine, proven on the real one: a blueprint at the very edge of what BlueprintValidator
 * accepts (shortest names, smallest subnet, the measured minimum memory and CPU share, env and command at the
 * kernel's limits) deploys through DockerRangeEngine, and removing it leaves nothing labelled.
 */
class EdgeOfValidBlueprintIT {

    static final String IMAGE = "cyroid/vm-busybox:latest";
    static final long MIB = 1024L * 1024;
    static final List<String> RANGES = new ArrayList<>();

    static Path socketDir;
    static DockerClients clients;
    static DockerRangeEngine engine;

    @BeforeAll
    static void engine() throws Exception {
        ProvisioningProperties properties = new ProvisioningProperties();
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "cyv");
        properties.setSocketDir(socketDir);
        clients = new DockerClients("", properties.getSocketDir());
        HostEngineSetup setup = new HostEngineSetup(clients, properties);
        setup.prepare();
        engine = new DockerRangeEngine(clients, properties, setup, new GoldenImages(clients, properties, setup));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        RANGES.forEach(engine::removeRange);
        clients.close();
        Files.deleteIfExists(socketDir); // empty once every range is removed
    }

    /** One VM with a two-character name, on a one-character network of a /30, with 0.1 CPUs. */
    static Blueprint edge(Map<String, String> env, List<String> command, long memory) {
        return new Blueprint("edge", List.of(new NetworkSpec("n", "10.0.1.0/30", "10.0.1.1")),
                List.of(new VmSpec("ab", IMAGE, null, List.of(new InterfaceSpec("n", "10.0.1.2")), env, command)),
                new ResourceSpec(memory / MIB + "m", BlueprintValidator.MIN_CPUS));
    }

    @Test
    void theMeasuredMinimumsDeploy() {
        Blueprint edge = edge(Map.of("ROLE", "web"), List.of("sleep", "600"), BlueprintValidator.MIN_MEMORY_BYTES);
        assertThat(BlueprintValidator.minMemoryBytes(edge)).isEqualTo(128 * MIB);
        assertThat(new BlueprintValidator().validate(edge)).as("the edge is valid").isEmpty();

        String range = deploy(edge);

        var limits = clients.host().inspectContainerCmd(DockerRangeEngine.dindName(range)).exec().getHostConfig();
        assertThat(limits.getMemory()).isEqualTo(128 * MIB);
        assertThat(limits.getNanoCPUs()).isEqualTo(100_000_000L);
        var vm = clients.inner(range).inspectContainerCmd("ab").exec();
        assertThat(vm.getState().getRunning()).isTrue();
        assertThat(vm.getConfig().getHostName()).isEqualTo("ab");
        removeLeavesNothing(range);
    }

    /**
     * Env and command at the kernel's limits: seven env entries of the largest size one string may have, and a
     * command whose last argument takes what is left of MAX_EXEC_BYTES, at the memory minimum this gives (188m).
     */
    @Test
    void envAndCommandAtTheKernelsLimitsDeployAtTheirMemoryMinimum() {
        int max = BlueprintValidator.MAX_ARG_BYTES;
        Map<String, String> env = new LinkedHashMap<>();
        long cost = 0;
        for (int i = 1; i <= 7; i++) {
            env.put("K" + i, "x".repeat(max - ("K" + i + "=").length())); // "K1=xxx...": exactly MAX_ARG_BYTES
            cost += max + 1 + 8;
        }
        List<String> command = new ArrayList<>(List.of("sh", "-c", "sleep 600"));
        for (String arg : command) {
            cost += arg.length() + 1 + 8;
        }
        command.add("y".repeat((int) (BlueprintValidator.MAX_EXEC_BYTES - cost - 1 - 8)));
        Blueprint probe = edge(env, command, 0);
        long min = BlueprintValidator.minMemoryBytes(probe);
        Blueprint edge = edge(env, command, min);
        assertThat(BlueprintValidator.execBytes(edge.vms().get(0))).isEqualTo(BlueprintValidator.MAX_EXEC_BYTES);
        assertThat(new BlueprintValidator().validate(edge)).as("the edge is valid").isEmpty();
        assertThat(new BlueprintValidator().validate(edge(env, command, min - MIB))).as("one MiB less is not")
                .isNotEmpty();

        String range = deploy(edge);

        assertThat(clients.host().inspectContainerCmd(DockerRangeEngine.dindName(range)).exec().getHostConfig()
                .getMemory()).isEqualTo(min);
        var vm = clients.inner(range).inspectContainerCmd("ab").exec();
        assertThat(vm.getState().getRunning()).isTrue();
        assertThat(vm.getConfig().getEnv()).contains("K1=" + env.get("K1"));
        removeLeavesNothing(range);
    }

    @Test
    void theMemoryMinimumGrowsEnoughWithTheVms() {
        // 16 VMs: at a flat 128m the inner engine was OOM-killed at the 13th or 14th VM
        int count = 16;
        List<VmSpec> vms = IntStream.rangeClosed(1, count).mapToObj(i -> new VmSpec("v" + i, IMAGE, null,
                List.of(new InterfaceSpec("lan", "10.0.2." + (9 + i))), null, List.of("sleep", "600"))).toList();
        long min = BlueprintValidator.minMemoryBytes(count);
        Blueprint many = new Blueprint("many", List.of(new NetworkSpec("lan", "10.0.2.0/24", "10.0.2.1")), vms,
                new ResourceSpec(min / MIB + "m", 1.0));
        assertThat(new BlueprintValidator().validate(many)).as("the edge is valid").isEmpty();
        assertThat(new BlueprintValidator().validate(new Blueprint("many", many.networks(), vms,
                new ResourceSpec((min / MIB - 1) + "m", 1.0)))).as("one MiB less is not").isNotEmpty();

        String range = deploy(many);

        assertThat(clients.host().inspectContainerCmd(DockerRangeEngine.dindName(range)).exec().getHostConfig()
                .getMemory()).isEqualTo(min);
        removeLeavesNothing(range);
    }

    /** The saga's steps in order; fails if any step fails or a VM is not running at the end. */
    static String deploy(Blueprint blueprint) {
        String range = "it-edge-" + UUID.randomUUID();
        RANGES.add(range);
        RangeEngine.Dind dind = engine.createDind(range, blueprint.resources());
        assertThat(dind.containerName()).isEqualTo(DockerRangeEngine.dindName(range));
        blueprint.networks().forEach(network -> assertThat(engine.createNetwork(range, network)).isNotBlank());
        engine.seedImages(range, blueprint.images());
        for (VmSpec vm : blueprint.vms()) {
            assertThat(engine.startVm(range, vm).interfaces()).isEqualTo(vm.interfaces());
        }
        // the check no longer waits the settle time itself (the worker holds it back): the VMs must keep running
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> engine.confirmRunning(range, blueprint.vms()));
        return range;
    }

    static void removeLeavesNothing(String range) {
        assertThat(engine.removeRange(range)).isPresent();
        assertThat(clients.host().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CyroidLabels.RANGE_ID, range)).exec()).isEmpty();
        assertThat(clients.host().listVolumesCmd().withFilter("label", List.of(CyroidLabels.rangeFilter(range)))
                .exec().getVolumes()).isNullOrEmpty();
        assertThat(clients.host().listNetworksCmd().withFilter("label", List.of(CyroidLabels.rangeFilter(range)))
                .exec()).isEmpty();
        assertThat(clients.rangeSocketFolder(range)).doesNotExist();
    }
}

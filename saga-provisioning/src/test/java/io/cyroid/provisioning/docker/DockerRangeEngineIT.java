package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine adapter on the real host engine. Every step is repeated as a saga would after a crash, and must find
 * what it built instead of failing or building it twice.
 */
class DockerRangeEngineIT {

    static final String RANGE = "it-engine-" + UUID.randomUUID();
    static final NetworkSpec LAN = new NetworkSpec("lan", "10.0.1.0/24", "10.0.1.1");
    static final NetworkSpec DMZ = new NetworkSpec("dmz", "10.0.2.0/24", "10.0.2.1");
    static final VmSpec WEB = new VmSpec("web", "cyroid/vm-busybox:latest", "web",
            List.of(new InterfaceSpec("lan", "10.0.1.10"), new InterfaceSpec("dmz", "10.0.2.10")),
            Map.of("ROLE", "web"), List.of("sleep", "infinity"));

    static DockerClients clients;
    static DockerRangeEngine engine;

    @BeforeAll
    static void engine() throws Exception {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setSocketDir(Files.createTempDirectory(Path.of("/tmp"), "cye"));
        clients = new DockerClients("", properties.getSocketDir());
        HostEngineSetup setup = new HostEngineSetup(clients, properties);
        setup.prepare();
        engine = new DockerRangeEngine(clients, properties, setup, new GoldenImages(clients, properties, setup));
    }

    @AfterAll
    static void cleanUp() {
        engine.removeRange(RANGE);
        clients.close();
    }

    @Test
    void everyStepRepeatedFindsWhatItBuiltAndRemovalLeavesNothing() {
        RangeEngine.Dind dind = engine.createDind(RANGE, new ResourceSpec("512m", 1.0));
        assertThat(engine.createDind(RANGE, null)).as("a repeated DinD step").isEqualTo(dind);
        assertThat(dind.containerName()).isEqualTo("cyroid-range-" + RANGE);
        assertThat(dind.mgmtIp()).startsWith("172.30.1.");
        var limits = clients.host().inspectContainerCmd(dind.containerId()).exec().getHostConfig();
        assertThat(limits.getMemory()).isEqualTo(512L * 1024 * 1024);
        assertThat(limits.getNanoCPUs()).isEqualTo(1_000_000_000L);
        assertThat(limits.getPidsLimit()).isEqualTo(4096L);
        assertThat(clients.host().inspectContainerCmd(dind.containerId()).exec().getConfig().getLabels())
                .containsEntry(CyroidLabels.MANAGED, "true").containsEntry(CyroidLabels.RANGE_ID, RANGE);

        String lan = engine.createNetwork(RANGE, LAN);
        assertThat(engine.createNetwork(RANGE, LAN)).as("a repeated network step").isEqualTo(lan);
        engine.createNetwork(RANGE, DMZ);
        assertThatThrownBy(() -> engine.createNetwork(RANGE, new NetworkSpec("lan", "10.0.9.0/24", "10.0.9.1")))
                .isInstanceOf(EngineException.class).hasMessageContaining("other addresses");

        engine.seedImages(RANGE, List.of("cyroid/vm-busybox:latest"));
        engine.seedImages(RANGE, List.of("cyroid/vm-busybox:latest"));
        assertThatThrownBy(() -> engine.seedImages(RANGE, List.of("cyroid/absent:0")))
                .isInstanceOf(EngineException.class).hasMessageContaining("not on the host engine");

        RangeEngine.StartedVm web = engine.startVm(RANGE, WEB);
        assertThat(web.interfaces()).isEqualTo(WEB.interfaces());
        assertThat(engine.startVm(RANGE, WEB)).as("a repeated VM step").isEqualTo(web);
        DockerClient inner = clients.inner(RANGE);
        var vm = inner.inspectContainerCmd("web").exec();
        assertThat(vm.getConfig().getEnv()).contains("ROLE=web");
        assertThat(vm.getConfig().getHostName()).isEqualTo("web");
        assertThat(vm.getConfig().getLabels()).containsEntry(CyroidLabels.RANGE_ID, RANGE);

        assertThat(engine.removeRange(RANGE)).contains(dind.containerId());
        assertThat(clients.host().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CyroidLabels.RANGE_ID, RANGE)).exec()).isEmpty();
        assertThat(clients.host().listVolumesCmd().withFilter("label", List.of(CyroidLabels.rangeFilter(RANGE)))
                .exec().getVolumes()).isNullOrEmpty();
        assertThat(clients.rangeSocketFolder(RANGE)).doesNotExist();
        assertThat(engine.removeRange(RANGE)).as("removing twice").isEmpty();
    }

    @Test
    void aRangeMayUseDockersOwnDefaultSubnet() {
        String range = "it-docker0-" + UUID.randomUUID();
        try {
            engine.createDind(range, new ResourceSpec("256m", 1.0));
            // the inner engine has no default bridge, so 172.17.0.0/16 is free for the blueprint
            assertThat(engine.createNetwork(range, new NetworkSpec("corp", "172.17.0.0/16", "172.17.0.1")))
                    .isNotBlank();
        } finally {
            engine.removeRange(range);
        }
    }

    @Test
    void aContainerOfTheSameNameThatIsNotTheRangesIsNeverAdopted() {
        String stranger = "it-stranger-" + UUID.randomUUID();
        String id = clients.host().createContainerCmd("cyroid/vm-busybox:latest")
                .withName(DockerRangeEngine.dindName(stranger)).withLabels(Map.of("test", "stranger")).exec().getId();
        try {
            assertThatThrownBy(() -> engine.createDind(stranger, null))
                    .isInstanceOf(EngineException.class).hasMessageContaining("does not belong to range");
        } finally {
            clients.host().removeContainerCmd(id).withForce(true).exec();
            engine.removeRange(stranger);
        }
    }
}

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import io.cyroid.messages.OrphanRemoved;
import io.cyroid.provisioning.ProvisioningProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Reconciliation on the real engine: a VM killed inside its DinD shows as stopped within seconds; a killed DinD makes
 * its range DEGRADED, then it is started again with its VMs and the range is DEPLOYED; an orphan with Cyroid's
 * labels is removed after the grace period and recorded, while one made by another installation is left alone.
 */
class ReconciliationIT extends ServerOnRealEngine {

    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(180);
    static final Duration GRACE = Duration.ofSeconds(3);
    static final Duration INTERVAL = Duration.ofSeconds(5);

    @DynamicPropertySource
    static void reconcileQuickly(DynamicPropertyRegistry registry) {
        registry.add("cyroid.reconcile.interval", () -> INTERVAL.toMillis() + "ms");
        registry.add("cyroid.reconcile.grace", () -> GRACE.toMillis() + "ms");
    }

    @Autowired
    ProvisioningProperties provisioning;

    @Autowired
    EventStore eventStore;

    @Test
    void aKilledVmIsStoppedAndAKilledDindIsDegradedThenRecovered() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-reconcile"));
        String rangeId = api.requestRange(blueprintId, "drift");
        JsonNode deployed = api.awaitStatus(rangeId, "DEPLOYED", DEPLOY_TIMEOUT);
        String dind = deployed.get("dind").get("containerName").asText();
        try {
            // (1) a VM dies inside its DinD, behind Cyroid's back
            long killed = System.nanoTime();
            RealEngine.ExecResult kill = RealEngine.exec(dind, "docker", "kill", "db");
            assertThat(kill.exitCode()).as(kill.output()).isZero();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "STOPPED".equals(vm(api.range(rangeId), "db").get("status").asText()));
            System.out.printf("VM killed in its DinD -> shown STOPPED in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - killed).toMillis());
            JsonNode range = api.range(rangeId);
            assertThat(range.get("status").asText()).isEqualTo("DEPLOYED");
            assertThat(vm(range, "db").get("reason").asText()).startsWith("exited with code 137");
            assertThat(vm(range, "web").get("status").asText()).isEqualTo("RUNNING");
            JsonNode stopped = lastEvent(rangeId, "VmStopped");
            assertThat(stopped.get("user").asText()).isEqualTo("system");
            assertThat(stopped.get("payload").get("stoppedBy").asText()).isEqualTo("system");

            // (2) the DinD itself dies: DEGRADED with the reason, then started again with every VM
            long dindKilled = System.nanoTime();
            RealEngine.HOST.killContainerCmd(dind).exec();
            api.awaitEvent(rangeId, "RangeDegraded", Duration.ofSeconds(15));
            System.out.printf("DinD killed -> RangeDegraded in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - dindKilled).toMillis());
            JsonNode degraded = lastEvent(rangeId, "RangeDegraded");
            assertThat(degraded.get("user").asText()).isEqualTo("system");
            assertThat(degraded.get("payload").get("reason").asText()).startsWith("DinD exited with code 137 at ");
            api.awaitEvent(rangeId, "RangeRecovered", Duration.ofSeconds(90));
            JsonNode recovered = api.awaitStatus(rangeId, "DEPLOYED", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> StreamSupport.stream(
                    api.range(rangeId).get("vms").spliterator(), false)
                    .allMatch(vm -> vm.get("status").asText().equals("RUNNING")));
            System.out.printf("DinD killed -> DEPLOYED again, VMs running, in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - dindKilled).toMillis());
            assertThat(recovered.get("statusReason").isNull() || recovered.get("statusReason").isMissingNode())
                    .as("statusReason %s", recovered.get("statusReason")).isTrue();
            assertThat(lastEvent(rangeId, "RangeRecovered").get("payload").get("note").asText())
                    .isEqualTo("DinD and 2 VMs restarted");
            // the VMs run again inside the restarted DinD, with the addresses they had
            RealEngine.ExecResult ps = RealEngine.exec(dind, "docker", "ps", "--format", "{{.Names}}");
            assertThat(ps.output().lines().sorted().toList()).containsExactly("db", "web");
            RealEngine.ExecResult addresses = RealEngine.execInVm(dind, "db", "ip", "-4", "-o", "addr");
            assertThat(addresses.output()).contains("10.0.1.20/24");
            assertThat(RangeDeploymentIT.types(api.events(rangeId))).containsSubsequence(
                    "RangeDeployed", "VmStopped", "RangeDegraded", "RangeRecovered");
        } finally {
            api.destroy(rangeId);
            api.awaitStatus(rangeId, "DESTROYED", DEPLOY_TIMEOUT);
            RealEngine.assertNothingLeft(rangeId);
        }
    }

    @Test
    void anOrphanOfThisInstallationIsRemovedAfterTheGracePeriodAndRecorded() throws Exception {
        // the server's own socket folder (the property's supplier makes a new folder each time it is read)
        Path socketDir = provisioning.getSocketDir().toAbsolutePath().normalize();
        String orphan = UUID.randomUUID().toString();
        String foreign = UUID.randomUUID().toString(); // as if made by another Cyroid on the same engine
        api.requested.add(orphan); // cleaned up after the test whatever happens
        api.requested.add(foreign);
        // made by this installation: its range's socket folder is in this server's socket folder
        Files.createDirectories(socketDir.resolve(orphan));
        String volume = "cyroid-range-" + orphan + "-docker";
        RealEngine.HOST.createVolumeCmd().withName(volume).withLabels(labels(orphan, "dind")).exec();
        String container = RealEngine.HOST.createContainerCmd("cyroid/vm-busybox:latest")
                .withName("cyroid-it-orphan-" + orphan).withLabels(labels(orphan, "vm"))
                .withCmd("sleep", "infinity").withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        RealEngine.HOST.startContainerCmd(container).exec();
        String foreignVolume = "cyroid-range-" + foreign + "-docker";
        RealEngine.HOST.createVolumeCmd().withName(foreignVolume).withLabels(labels(foreign, "dind")).exec();
        long created = System.nanoTime();

        await().atMost(GRACE.plus(INTERVAL.multipliedBy(3)).plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> RealEngine.assertNothingLeft(orphan));
        long took = Duration.ofNanos(System.nanoTime() - created).toMillis();
        System.out.printf("orphan container and volume created -> removed in %d ms (grace %d ms, pass every %d ms)%n",
                took, GRACE.toMillis(), INTERVAL.toMillis());
        assertThat(took).as("not before the grace period").isGreaterThanOrEqualTo(GRACE.toMillis());
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(socketDir.resolve(orphan)));

        List<TrackedEventMessage<?>> removals = await().atMost(Duration.ofSeconds(10))
                .until(() -> orphanRemovals(orphan), list -> list.size() == 2);
        assertThat(removals).extracting(e -> ((OrphanRemoved) e.getPayload()).kind())
                .containsExactlyInAnyOrder("container", "volume");
        assertThat(removals).allSatisfy(e -> {
            assertThat(e.getMetaData().get("user")).isEqualTo("system");
            assertThat(((OrphanRemoved) e.getPayload()).reason()).startsWith("no range with this id exists");
        });
        assertThat(removals).extracting(e -> ((OrphanRemoved) e.getPayload()).name())
                .contains(volume, "cyroid-it-orphan-" + orphan);

        // another installation's object is never this server's to remove, however old
        assertThat(RealEngine.HOST.inspectVolumeCmd(foreignVolume).exec().getName()).isEqualTo(foreignVolume);
        RealEngine.HOST.removeVolumeCmd(foreignVolume).exec();
        RealEngine.assertNothingLeft(foreign);
        try {
            RealEngine.HOST.inspectContainerCmd(container).exec();
            throw new AssertionError("the orphan container is still there");
        } catch (NotFoundException expected) {
            // removed
        }
    }

    private List<TrackedEventMessage<?>> orphanRemovals(String rangeId) {
        List<TrackedEventMessage<?>> found = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                if (event.getPayload() instanceof OrphanRemoved removed && rangeId.equals(removed.rangeId())) {
                    found.add(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return found;
    }

    private JsonNode lastEvent(String rangeId, String type) {
        JsonNode last = null;
        for (JsonNode event : api.events(rangeId)) {
            if (event.get("type").asText().equals(type)) {
                last = event;
            }
        }
        assertThat(last).as("a %s event of range %s", type, rangeId).isNotNull();
        return last;
    }

    static JsonNode vm(JsonNode range, String name) {
        for (JsonNode vm : range.get("vms")) {
            if (vm.get("name").asText().equals(name)) {
                return vm;
            }
        }
        throw new AssertionError("range has no VM " + name + ": " + range);
    }

    static Map<String, String> labels(String rangeId, String role) {
        return Map.of("cyroid.managed", "true", "cyroid.range-id", rangeId, "cyroid.role", role);
    }
}

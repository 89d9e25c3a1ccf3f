package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Reconciliation on the real engine, through the engines' event streams alone (the periodic pass runs once, at
 * start): a VM killed inside its DinD shows as stopped within seconds; a killed DinD makes its range DEGRADED, then
 * it is started again with its VMs and the range is DEPLOYED. Orphans: {@link OrphanRemovalIT}.
 */
class ReconciliationIT extends ServerOnRealEngine {

    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(180);

    /** No pass during the test: whatever is seen, the event streams saw. */
    @DynamicPropertySource
    static void eventsOnly(DynamicPropertyRegistry registry) {
        registry.add("cyroid.reconcile.interval", () -> "1h");
    }

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

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An instructor operates the VMs of a deployed range through the API, on the real engine. */
class VmActionsIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final Duration ACTION = Duration.ofSeconds(60);

    @Test
    void stopStartRestartAndResetWorkWithTheirEventsAndRefusals() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-vm-actions"));
        String rangeId = api.requestRange(blueprintId, "vm-actions");
        assertThat(api.vmAction(rangeId, "web", "stop")).as("not deployed yet").isEqualTo(409);
        JsonNode range = api.awaitStatus(rangeId, "DEPLOYED", TIMEOUT);
        String dind = range.get("dind").get("containerName").asText();

        assertThat(api.vmAction(rangeId, "mail", "stop")).as("unknown VM").isEqualTo(404);
        assertThat(api.vmAction("no-such-range", "web", "stop")).as("unknown range").isEqualTo(404);
        assertThat(api.vmAction(rangeId, "web", "start")).as("already running").isEqualTo(409);

        assertThat(api.vmAction(rangeId, "web", "stop")).isEqualTo(202);
        api.awaitVm(rangeId, "web", "STOPPED", ACTION);
        assertThat(running(dind, "web")).isFalse();
        assertThat(api.vmAction(rangeId, "web", "stop")).as("already stopped").isEqualTo(409);

        assertThat(api.vmAction(rangeId, "web", "start")).isEqualTo(202);
        api.awaitVm(rangeId, "web", "RUNNING", ACTION);
        assertThat(running(dind, "web")).isTrue();
        assertAddresses(dind, "web", "10.0.1.10", "10.0.2.10");

        String startedAt = startedAt(dind, "db");
        assertThat(api.vmAction(rangeId, "db", "restart")).isEqualTo(202);
        api.awaitEvent(rangeId, "VmRestarted", ACTION);
        api.awaitVm(rangeId, "db", "RUNNING", ACTION);
        assertThat(startedAt(dind, "db")).isNotEqualTo(startedAt);

        // a trainee's change is gone after a reset; the VM is new, with the same addresses
        assertThat(RealEngine.execInVm(dind, "db", "touch", "/tmp/trainee-was-here").exitCode()).isZero();
        String before = containerId(dind, "db");
        assertThat(api.vmAction(rangeId, "db", "reset")).isEqualTo(202);
        api.awaitEvent(rangeId, "VmReset", ACTION);
        api.awaitVm(rangeId, "db", "RUNNING", ACTION);
        assertThat(containerId(dind, "db")).isNotEqualTo(before);
        assertThat(RealEngine.execInVm(dind, "db", "ls", "/tmp/trainee-was-here").exitCode()).isNotZero();
        assertAddresses(dind, "db", "10.0.1.20");

        List<String> actions = new ArrayList<>();
        for (JsonNode event : api.events(rangeId)) {
            String type = event.get("type").asText();
            if (type.startsWith("Vm") && event.get("sequence").asLong() > 7) {
                actions.add(type + " by " + event.get("user").asText());
            }
        }
        assertThat(actions).containsExactly(
                "VmActionRequested by admin", "VmStopped by admin",
                "VmActionRequested by admin", "VmStarted by admin",
                "VmActionRequested by admin", "VmRestarted by admin",
                "VmActionRequested by admin", "VmReset by admin");

        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
        assertThat(api.vmAction(rangeId, "web", "start")).as("destroyed").isEqualTo(409);
    }

    private static boolean running(String dind, String vm) throws InterruptedException {
        return RealEngine.exec(dind, "docker", "inspect", "-f", "{{.State.Running}}", vm).output().strip()
                .equals("true");
    }

    private static String startedAt(String dind, String vm) throws InterruptedException {
        return RealEngine.exec(dind, "docker", "inspect", "-f", "{{.State.StartedAt}}", vm).output().strip();
    }

    private static String containerId(String dind, String vm) throws InterruptedException {
        return RealEngine.exec(dind, "docker", "inspect", "-f", "{{.Id}}", vm).output().strip();
    }

    private static void assertAddresses(String dind, String vm, String... ips) throws InterruptedException {
        String addresses = RealEngine.execInVm(dind, vm, "ip", "-4", "-o", "addr").output();
        for (String ip : ips) {
            assertThat(addresses).contains(" " + ip + "/");
        }
    }
}

package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The test's own view of the host engine, independent of the application's clients: what an operator would see
 * with the docker CLI.
 */
final class RealEngine {

    static final DockerClient HOST;

    static {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        HOST = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).build());
    }

    private RealEngine() {
    }

    record ExecResult(long exitCode, String output) {
    }

    /** Runs a command in a host container (a DinD) and returns its exit code and combined output. */
    static ExecResult exec(String containerId, String... command) throws InterruptedException {
        String execId = HOST.execCreateCmd(containerId).withCmd(command).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        HOST.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(60, TimeUnit.SECONDS);
        Long code = HOST.inspectExecCmd(execId).exec().getExitCodeLong();
        return new ExecResult(code == null ? -1 : code, out.toString());
    }

    /** The combined output of a host container, such as a one-shot probe that has exited. */
    static String logs(String containerId) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        HOST.logContainerCmd(containerId).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }

    /** Runs a command in a VM, through the DinD's own docker CLI: the VM lives in the inner engine. */
    static ExecResult execInVm(String dindContainer, String vm, String... command) throws InterruptedException {
        String[] full = new String[command.length + 3];
        full[0] = "docker";
        full[1] = "exec";
        full[2] = vm;
        System.arraycopy(command, 0, full, 3, command.length);
        return exec(dindContainer, full);
    }

    /** After a failed test, nothing of it may stay on the engine: force-removes whatever carries the range's label. */
    static void removeLeftovers(String rangeId) {
        HOST.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("cyroid.range-id", rangeId)).exec()
                .forEach(c -> HOST.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
        var volumes = HOST.listVolumesCmd().withFilter("label", List.of("cyroid.range-id=" + rangeId)).exec()
                .getVolumes();
        if (volumes != null) {
            volumes.forEach(v -> HOST.removeVolumeCmd(v.getName()).exec());
        }
    }

    /** Nothing on the host engine carries the range's label any more: no container, volume or network. */
    static void assertNothingLeft(String rangeId) {
        String label = "cyroid.range-id=" + rangeId;
        assertThat(HOST.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("cyroid.range-id", rangeId))
                .exec()).as("containers labelled %s", label).isEmpty();
        var volumes = HOST.listVolumesCmd().withFilter("label", List.of(label)).exec().getVolumes();
        assertThat(volumes == null ? List.of() : volumes).as("volumes labelled %s", label).isEmpty();
        assertThat(HOST.listNetworksCmd().withFilter("label", List.of(label)).exec())
                .as("networks labelled %s", label).isEmpty();
    }
}

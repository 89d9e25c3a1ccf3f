package io.cyroid.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineMessagesTest {

    @Test
    void theEnginesJsonMessageIsUnwrapped() {
        assertThat(EngineMessages.clean("Status 403: {\"message\":\"operation is not permitted on predefined default"
                + " network \"}\n")).isEqualTo("operation is not permitted on predefined default network");
    }

    @Test
    void javaClassNamesShadedOrNotAreDropped() {
        assertThat(EngineMessages.clean("com.github.dockerjava.zerodep.shaded.org.apache.hc.core5.http"
                + ".NoHttpResponseException: localhost:2375 failed to respond"))
                .isEqualTo("localhost:2375 failed to respond");
        assertThat(EngineMessages.clean("java.lang.RuntimeException: java.io.IOException: Broken pipe"))
                .isEqualTo("Broken pipe");
    }

    @Test
    void hostPathsAreNamedNotShown() {
        assertThat(EngineMessages.clean("Status 500: {\"message\":\"failed to write 1000 to cpu.cfs_quota_us: write"
                + " /sys/fs/cgroup/cpu,cpuacct/docker/4f2a/cpu.cfs_quota_us: invalid argument\"}"))
                .isEqualTo("failed to write 1000 to cpu.cfs_quota_us: write (a cgroup file): invalid argument");
        assertThat(EngineMessages.clean("no space left in /var/lib/docker/overlay2/abc/diff"))
                .isEqualTo("no space left in (the engine's storage)");
        assertThat(EngineMessages.clean("cannot reach /tmp/cys123/r1/docker.sock", "/tmp/cys123",
                "(the range socket folder)")).isEqualTo("cannot reach (the range socket folder)/r1/docker.sock");
    }

    @Test
    void nothingLeftMeansUnknown() {
        assertThat(EngineMessages.clean(null)).isEqualTo("unknown engine error");
        assertThat(EngineMessages.clean("java.lang.IllegalStateException:")).isEqualTo("unknown engine error");
    }
}

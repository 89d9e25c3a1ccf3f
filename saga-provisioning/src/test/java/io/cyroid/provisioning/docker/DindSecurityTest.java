package io.cyroid.provisioning.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cyroid.provisioning.DindSecurityMode;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each DinD security mode grants, and how AUTO picks one, without an engine. */
class DindSecurityTest {

    @Test
    void capabilitiesModeDropsEverythingAndAddsOnlyTheMeasuredSet() {
        HostConfig config = DindSecurity.hostConfigFor(DindSecurityMode.CAPABILITIES);
        assertThat(config.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(config.getCapAdd()).containsExactlyInAnyOrder(Capability.SYS_ADMIN, Capability.NET_ADMIN,
                Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.FOWNER, Capability.FSETID, Capability.MKNOD,
                Capability.KILL, Capability.SETGID, Capability.SETUID, Capability.SETPCAP, Capability.SETFCAP,
                Capability.NET_BIND_SERVICE, Capability.NET_RAW, Capability.SYS_CHROOT, Capability.AUDIT_WRITE);
        assertThat(config.getCapAdd()).doesNotContain(Capability.ALL, Capability.SYS_MODULE, Capability.SYS_RAWIO,
                Capability.SYS_TIME, Capability.SYS_PTRACE, Capability.DAC_READ_SEARCH, Capability.SYS_RESOURCE);
        assertThat(config.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(config.getDeviceCgroupRules()).as("Docker's default device list").isNullOrEmpty();
        assertThat(config.getSecurityOpts()).containsExactlyInAnyOrder("seccomp=unconfined", "apparmor=unconfined");
        assertThat(config).isInstanceOf(UnconfinedPathsHostConfig.class);
    }

    @Test
    void sysboxModeUsesTheRuntimeWithNoAddedRightsAndDefaultProfiles() {
        HostConfig config = DindSecurity.hostConfigFor(DindSecurityMode.SYSBOX);
        assertThat(config.getRuntime()).isEqualTo("sysbox-runc");
        assertThat(config.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(config.getCapAdd()).isNullOrEmpty();
        assertThat(config.getSecurityOpts()).isNullOrEmpty();
        assertThat(config.getDeviceCgroupRules()).isNullOrEmpty();
        assertThat(config).isNotInstanceOf(UnconfinedPathsHostConfig.class);
    }

    @Test
    void privilegedModeIsPrivileged() {
        assertThat(DindSecurity.hostConfigFor(DindSecurityMode.PRIVILEGED).getPrivileged()).isTrue();
        assertThatThrownBy(() -> DindSecurity.hostConfigFor(DindSecurityMode.AUTO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void autoTriesSysboxFirstOnlyWhenTheHostEngineHasItsRuntime() {
        assertThat(HostEngineSetup.candidates(DindSecurityMode.AUTO, Set.of("runc", "sysbox-runc")))
                .containsExactly(DindSecurityMode.SYSBOX, DindSecurityMode.PRIVILEGED, DindSecurityMode.CAPABILITIES);
        assertThat(HostEngineSetup.candidates(DindSecurityMode.AUTO, Set.of("runc", "io.containerd.runc.v2")))
                .containsExactly(DindSecurityMode.PRIVILEGED, DindSecurityMode.CAPABILITIES);
        assertThat(HostEngineSetup.candidates(DindSecurityMode.AUTO, Set.of()))
                .containsExactly(DindSecurityMode.PRIVILEGED, DindSecurityMode.CAPABILITIES);
    }

    @Test
    void aForcedModeIsTheOnlyCandidateAndAForcedSysboxNeedsTheRuntime() {
        assertThat(HostEngineSetup.candidates(DindSecurityMode.CAPABILITIES, Set.of("sysbox-runc")))
                .isEqualTo(List.of(DindSecurityMode.CAPABILITIES));
        assertThat(HostEngineSetup.candidates(DindSecurityMode.SYSBOX, Set.of("runc", "sysbox-runc")))
                .isEqualTo(List.of(DindSecurityMode.SYSBOX));
        assertThatThrownBy(() -> HostEngineSetup.candidates(DindSecurityMode.SYSBOX, Set.of("runc")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DIND_SECURITY_MODE=sysbox")
                .hasMessageContaining("no runtime named sysbox-runc")
                .hasMessageContaining("[runc]");
    }
}

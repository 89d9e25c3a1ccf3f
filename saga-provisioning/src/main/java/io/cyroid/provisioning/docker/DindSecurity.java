package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.util.List;

/**
 * The rights a DinD gets in each {@link DindSecurityMode}. Every DinD (range, warm pool, shared-images builder,
 * start-up probe) is created with these, so a mode means the same thing everywhere. The capability list was
 * measured by starting throwaway DinDs without each capability in turn; docs/security.md keeps the record.
 */
public final class DindSecurity {

    /** The name of the sysbox runtime as the host engine lists it in {@code docker info}. */
    public static final String SYSBOX_RUNTIME = "sysbox-runc";

    /**
     * The whole bounding set of a DinD in {@code capabilities} mode; everything else is dropped, including
     * capabilities a newer engine or kernel may add later.
     */
    public static final List<Capability> CAPABILITIES = List.of(
            // the inner engine itself: mounts (cgroup hierarchies, overlayfs of the VMs' layers, namespaces, nsenter)
            Capability.SYS_ADMIN,
            // the inner engine's bridges, veths, addresses, iptables rules and routes; a router VM's own NET_ADMIN
            Capability.NET_ADMIN,
            // file ownership while the engine state is unpacked and the sockets are made (dockerd chowns them)
            Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.FOWNER, Capability.FSETID,
            // device nodes: the shared images' engine state holds one, runc makes /dev/null etc. for each VM
            Capability.MKNOD,
            // Docker's default set for every VM: runc cannot hand a VM a capability its own DinD lacks
            Capability.KILL, Capability.SETGID, Capability.SETUID, Capability.SETPCAP, Capability.SETFCAP,
            Capability.NET_BIND_SERVICE, Capability.NET_RAW, Capability.SYS_CHROOT, Capability.AUDIT_WRITE);

    private DindSecurity() {
    }

    /** A host config with the rights a DinD needs in the given mode (never AUTO: that is resolved at start). */
    public static HostConfig hostConfigFor(DindSecurityMode mode) {
        return switch (mode) {
            case PRIVILEGED -> HostConfig.newHostConfig().withPrivileged(true);
            // sysbox's user namespace and its own /proc and /sys virtualisation are the walls: no extra rights,
            // the engine's default seccomp and AppArmor profiles stay
            case SYSBOX -> HostConfig.newHostConfig().withRuntime(SYSBOX_RUNTIME);
            // seccomp unconfined: the default profile refuses runc's keyctl (session keyring), so no VM starts.
            // /proc/sys writable (UnconfinedPathsHostConfig): read-only, the inner engine cannot turn IPv6 off in
            // the VMs. No device cgroup rule: Docker's default device list is all the inner engine needs.
            case CAPABILITIES -> new UnconfinedPathsHostConfig()
                    .withCapDrop(Capability.ALL)
                    .withCapAdd(CAPABILITIES.toArray(Capability[]::new))
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"));
            case AUTO -> throw new IllegalArgumentException("AUTO is resolved to a mode when the server starts");
        };
    }
}

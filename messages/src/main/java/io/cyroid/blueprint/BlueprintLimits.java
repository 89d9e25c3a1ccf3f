package io.cyroid.blueprint;

/**
 * How big a blueprint may be: configurable ceilings that {@link BlueprintValidator} enforces. The defaults suit a
 * laptop-sized host; the API binds them from {@code cyroid.blueprint.*} (BLUEPRINT_MAX_VMS, BLUEPRINT_MAX_NETWORKS,
 * BLUEPRINT_MAX_INTERFACES).
 *
 * @param maxVms             VMs per blueprint. Measured on the reference machine: an idle busybox VM costs its DinD
 *                           about 12.5 processes/threads (containerd shim and the VM's process) and 4 MiB; with the
 *                           range's process limit of 4096 (RANGE_PIDS_LIMIT) a 2,500-VM blueprint failed at VM 326.
 *                           100 idle VMs take about 1,300 of the 4096, leaving the rest for what they run, and start
 *                           in about a minute (0.5 s each), well inside DEPLOY_TIMEOUT.
 * @param maxNetworks        networks per blueprint; each is a Linux bridge with its firewall rules in the DinD.
 *                           50 were created in about 4 s on the reference machine.
 * @param maxInterfacesPerVm interfaces per VM; every one is connected before the first start, about 0.1 s each
 *                           (30 took 3.3 s to start), so a VM with hundreds of networks cannot start in time.
 * @param maxEnvPerVm        environment entries per VM (the engine's own ceiling is the exec size the validator
 *                           computes; this one keeps a blueprint reviewable and its events small)
 * @param maxDepth           how deeply the blueprint's YAML or JSON may nest; a real blueprint needs 6 levels
 *                           (vms, a VM, its routes, a route ...), so a deeper document is refused before it is
 *                           read, whatever its content
 */
public record BlueprintLimits(int maxVms, int maxNetworks, int maxInterfacesPerVm, int maxEnvPerVm, int maxDepth) {

    public static final int DEFAULT_MAX_VMS = 100;
    public static final int DEFAULT_MAX_NETWORKS = 50;
    public static final int DEFAULT_MAX_INTERFACES_PER_VM = 8;
    public static final int DEFAULT_MAX_ENV_PER_VM = 128;
    public static final int DEFAULT_MAX_DEPTH = 12;

    public static final BlueprintLimits DEFAULTS =
            new BlueprintLimits(DEFAULT_MAX_VMS, DEFAULT_MAX_NETWORKS, DEFAULT_MAX_INTERFACES_PER_VM);

    public BlueprintLimits(int maxVms, int maxNetworks, int maxInterfacesPerVm) {
        this(maxVms, maxNetworks, maxInterfacesPerVm, DEFAULT_MAX_ENV_PER_VM, DEFAULT_MAX_DEPTH);
    }

    public BlueprintLimits {
        if (maxEnvPerVm < 1 || maxDepth < 6) {
            throw new IllegalArgumentException("blueprint limits: max env entries per VM must be at least 1 ("
                    + maxEnvPerVm + "), max depth at least 6 (" + maxDepth + ")");
        }
        if (maxVms < 1 || maxNetworks < 1 || maxInterfacesPerVm < 1) {
            throw new IllegalArgumentException("blueprint limits must be at least 1 (max VMs " + maxVms
                    + ", max networks " + maxNetworks + ", max interfaces per VM " + maxInterfacesPerVm + ")");
        }
    }
}

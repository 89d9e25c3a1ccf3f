package io.cyroid.blueprint;

import java.util.List;

/**
 * A range as an instructor describes it: networks with exact subnets and VMs with exact addresses.
 * Immutable; a snapshot of it travels in {@code RangeRequested} so a range's history never depends on
 * a blueprint that may later change.
 */
public record Blueprint(String name, List<NetworkSpec> networks, List<VmSpec> vms, ResourceSpec resources) {

    public Blueprint {
        networks = networks == null ? List.of() : List.copyOf(networks);
        vms = vms == null ? List.of() : List.copyOf(vms);
    }

    /** Distinct images of all VMs, in blueprint order: what the inner engine must be seeded with. */
    public List<String> images() {
        return vms.stream().map(VmSpec::image).distinct().toList();
    }
}

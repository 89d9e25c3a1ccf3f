package io.cyroid.api.traefik;

import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.RangeDegraded;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeRecovered;
import io.cyroid.provisioning.RangeBlueprints;
import java.util.List;
import java.util.stream.Collectors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps one Traefik route file per range that is up (DEPLOYED or DEGRADED: a degraded range still runs its other
 * VMs), from the range's events, in a tracking processor of its own. Idempotent: an event handled again writes or
 * removes the same file; a reset removes every range's file and the replay writes those of the ranges still up.
 */
@Component
@ProcessingGroup(TraefikRouteWriter.PROCESSING_GROUP)
public class TraefikRouteWriter {

    public static final String PROCESSING_GROUP = "traefik-routes";

    private final TraefikRoutes routes;
    private final RangeBlueprints blueprints;

    public TraefikRouteWriter(TraefikProperties properties, RangeBlueprints blueprints) {
        this.routes = new TraefikRoutes(properties.dynamicDir(), properties.apiUrl());
        this.blueprints = blueprints;
        routes.writeApi();
    }

    @EventHandler
    void on(RangeDeployed event) {
        write(event.rangeId());
    }

    @EventHandler
    void on(RangeDegraded event) {
        write(event.rangeId());
    }

    @EventHandler
    void on(RangeRecovered event) {
        write(event.rangeId());
    }

    @EventHandler
    void on(RangeDeploymentFailed event) {
        routes.remove(event.rangeId());
    }

    @EventHandler
    void on(RangeDestroyRequested event) {
        routes.remove(event.rangeId());
    }

    @EventHandler
    void on(RangeDestroyed event) {
        routes.remove(event.rangeId());
    }

    @ResetHandler
    void reset() {
        routes.removeAll();
    }

    /** The VMs are the blueprint snapshot's: a range's set of VMs never changes after its request. */
    private void write(String rangeId) {
        List<VmSpec> vms = blueprints.of(rangeId).vms();
        routes.write(rangeId, vms.stream().map(VmSpec::name).toList(), vms.stream()
                .filter(vm -> vm.console() != null && vm.console().isVnc()).map(VmSpec::name)
                .collect(Collectors.toSet()));
    }
}

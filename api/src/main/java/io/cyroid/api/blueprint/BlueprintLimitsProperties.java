package io.cyroid.api.blueprint;

import io.cyroid.blueprint.BlueprintLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How big a blueprint may be on this server ({@link BlueprintLimits}); environment variables BLUEPRINT_MAX_VMS,
 * BLUEPRINT_MAX_NETWORKS and BLUEPRINT_MAX_INTERFACES, mapped in application.yml. A value below 1 stops the server
 * at start.
 */
@ConfigurationProperties("cyroid.blueprint")
public record BlueprintLimitsProperties(
        @DefaultValue("" + BlueprintLimits.DEFAULT_MAX_VMS) int maxVms,
        @DefaultValue("" + BlueprintLimits.DEFAULT_MAX_NETWORKS) int maxNetworks,
        @DefaultValue("" + BlueprintLimits.DEFAULT_MAX_INTERFACES_PER_VM) int maxInterfacesPerVm) {

    public BlueprintLimits limits() {
        return new BlueprintLimits(maxVms, maxNetworks, maxInterfacesPerVm);
    }
}

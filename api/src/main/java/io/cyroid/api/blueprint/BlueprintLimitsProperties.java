package io.cyroid.api.blueprint;

import io.cyroid.blueprint.BlueprintLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How big a blueprint may be on this server ({@link BlueprintLimits}); environment variables BLUEPRINT_MAX_VMS,
 * BLUEPRINT_MAX_NETWORKS, BLUEPRINT_MAX_INTERFACES, BLUEPRINT_MAX_ENV and BLUEPRINT_MAX_DEPTH, mapped in application.yml. A value below 1 stops the server
 * at start.
 */
@ConfigurationProperties("cyroid.blueprint")
public record BlueprintLimitsProperties(
        @DefaultValue("" + BlueprintLimits.DEFAULT_MAX_VMS) int maxVms,
        @DefaultValue("" + BlueprintLimits.DEFAULT_MAX_NETWORKS) int maxNetworks,
        @DefaultValue("" + BlueprintLimits.DEFAULT_MAX_INTERFACES_PER_VM) int maxInterfacesPerVm,
        @DefaultValue("" + BlueprintLimits.DEFAULT_MAX_ENV_PER_VM) int maxEnvPerVm,
        @DefaultValue("" + BlueprintLimits.DEFAULT_MAX_DEPTH) int maxDepth) {

    public BlueprintLimits limits() {
        return new BlueprintLimits(maxVms, maxNetworks, maxInterfacesPerVm, maxEnvPerVm, maxDepth);
    }
}

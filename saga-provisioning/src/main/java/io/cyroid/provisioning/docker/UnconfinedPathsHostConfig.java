package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.HostConfig;
import java.util.List;

/**
 * The engine API's equivalent of the CLI's {@code --security-opt systempaths=unconfined}: empty masked and
 * read-only path lists, so the inner dockerd can write /proc/sys (ip_forward, bridge settings). docker-java's
 * HostConfig has no fields for them, so they are added here.
 */
class UnconfinedPathsHostConfig extends HostConfig {

    @JsonProperty("MaskedPaths")
    private final List<String> maskedPaths = List.of();

    @JsonProperty("ReadonlyPaths")
    private final List<String> readonlyPaths = List.of();

    List<String> maskedPaths() {
        return maskedPaths;
    }

    List<String> readonlyPaths() {
        return readonlyPaths;
    }
}

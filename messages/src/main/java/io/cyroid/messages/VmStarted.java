package io.cyroid.messages;

import io.cyroid.blueprint.InterfaceSpec;
import java.util.List;

public record VmStarted(String rangeId, String vmName, String containerId, List<InterfaceSpec> interfaces)
        implements RangeEvents {
}

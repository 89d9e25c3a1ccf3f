package io.cyroid.messages;

import io.cyroid.blueprint.InterfaceSpec;
import java.util.List;
import org.axonframework.serialization.Revision;

@Revision("1")
public record VmStarted(String rangeId, String vmName, String containerId, List<InterfaceSpec> interfaces)
        implements RangeEvents {
}

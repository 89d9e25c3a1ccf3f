package io.cyroid.messages;

import io.cyroid.blueprint.InterfaceSpec;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The engine carried out a requested VM action. {@code containerId} and {@code interfaces}: the VM after it. */
public record RecordVmAction(@TargetAggregateIdentifier String rangeId, String vmName, VmAction action,
                             String containerId, List<InterfaceSpec> interfaces, String by) implements RangeCommands {
}

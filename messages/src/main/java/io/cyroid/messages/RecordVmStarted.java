package io.cyroid.messages;

import io.cyroid.blueprint.InterfaceSpec;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordVmStarted(@TargetAggregateIdentifier String rangeId, String vmName, String containerId,
                              List<InterfaceSpec> interfaces) implements RangeCommands {
}

package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordVmActionFailed(@TargetAggregateIdentifier String rangeId, String vmName, VmAction action,
                                   String reason) implements RangeCommands {
}

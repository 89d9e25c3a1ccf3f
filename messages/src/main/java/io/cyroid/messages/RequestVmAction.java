package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An instructor asks for a VM action; the Docker work happens after the resulting event. */
public record RequestVmAction(@TargetAggregateIdentifier String rangeId, String vmName, VmAction action,
                              String requestedBy) implements RangeCommands {
}

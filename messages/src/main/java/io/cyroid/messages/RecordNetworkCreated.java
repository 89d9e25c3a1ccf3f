package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordNetworkCreated(@TargetAggregateIdentifier String rangeId, String name, String subnet,
                                   String gateway, String innerNetworkId) implements RangeCommands {
}

package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordDinDCreated(@TargetAggregateIdentifier String rangeId, String containerId, String containerName,
                                String mgmtIp, String dockerHost) implements RangeCommands {
}

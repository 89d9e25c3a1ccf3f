package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Notes on a range that its recorded snapshot was deployed again as range {@code newRangeId}. */
public record RecordRedeploy(@TargetAggregateIdentifier String rangeId, String newRangeId, String requestedBy)
        implements RangeCommands {
}

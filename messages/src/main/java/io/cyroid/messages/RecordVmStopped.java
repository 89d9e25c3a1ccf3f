package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A VM stopped behind Cyroid's back (it crashed, or a trainee stopped it): reported by the reconciler. */
public record RecordVmStopped(@TargetAggregateIdentifier String rangeId, String vmName, String reason)
        implements RangeCommands {
}

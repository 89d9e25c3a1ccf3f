package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Every VM of the range was started and still ran after the settle time: the range is deployed. Sent once, after
 * the last {@link VmStarted}, by the job that checks them all (a VM whose command dies at once still looks running
 * right after its start).
 */
public record RecordRangeRunning(@TargetAggregateIdentifier String rangeId) implements RangeCommands {
}

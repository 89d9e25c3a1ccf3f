package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records how a console ended ({@code reason}: closed by the client, idle, the VM's side ended, ...). */
public record CloseConsole(@TargetAggregateIdentifier String consoleId, String reason) {
}

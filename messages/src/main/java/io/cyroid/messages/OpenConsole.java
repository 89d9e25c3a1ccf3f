package io.cyroid.messages;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records that {@code user} opened a console ({@code kind}: {@code terminal} or {@code vnc}) into VM {@code vmName}
 * of range {@code rangeId}. The API sends it before the WebSocket upgrade, after its own checks (who may use the
 * range, range DEPLOYED, VM running): a console that could not be recorded is not opened.
 */
public record OpenConsole(@TargetAggregateIdentifier String consoleId, String rangeId, String vmName, String kind,
                          String user) {
}

package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/**
 * A console session began: who looked into which VM, and how ({@code kind}: {@code terminal} or {@code vnc}). The
 * console's own stream (id {@code consoleId}), not the range's: a console changes nothing of the range's state, and
 * the audit log finds it by {@code rangeId}.
 */
@Revision("1")
public record ConsoleOpened(String consoleId, String rangeId, String vmName, String kind, String user) {
}

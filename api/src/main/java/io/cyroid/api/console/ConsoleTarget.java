package io.cyroid.api.console;

/** The VM a console upgrade was allowed for, handed from the handshake to the socket's handler. */
record ConsoleTarget(String rangeId, String vm, String user) {
}

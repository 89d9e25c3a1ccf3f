package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/** A console session ended after {@code seconds}, for {@code reason}; repeats what ConsoleOpened said of it. */
@Revision("1")
public record ConsoleClosed(String consoleId, String rangeId, String vmName, String kind, String user,
                            String reason, long seconds) {
}

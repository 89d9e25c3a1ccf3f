package io.cyroid.api.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Console tickets (docs/security.md): how long a ticket may wait for its WebSocket. Short, because it travels in a
 * URL: a browser opens the socket within a second of asking. Environment: CYROID_CONSOLE_TICKET_TTL. Zero or less,
 * or more than five minutes, stops the server at start.
 */
@ConfigurationProperties("cyroid.console.ticket")
public record ConsoleTicketProperties(@DefaultValue("30s") Duration ttl) {

    static final Duration MAX_TTL = Duration.ofMinutes(5);

    public ConsoleTicketProperties {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("cyroid.console.ticket.ttl must be from 1 ms to " + MAX_TTL + ", not "
                    + ttl);
        }
    }
}

package io.cyroid.api.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Terminal and VNC consoles (docs/security.md): a console whose user sent nothing for {@code idleTimeout} is
 * closed; at most {@code maxOpen} are open on this server at once, both kinds together, and at most
 * {@code maxPerUser} of them by one user (CYROID_CONSOLE_MAX_PER_USER). Environment:
 * CYROID_CONSOLE_IDLE_TIMEOUT, CYROID_CONSOLE_MAX_OPEN. Every {@code recheck} an open console's user is asked again
 * whether they may still use the range (CYROID_CONSOLE_RECHECK). A value of zero or less stops the server at start.
 */
@ConfigurationProperties("cyroid.console")
public record ConsoleProperties(@DefaultValue("15m") Duration idleTimeout, @DefaultValue("200") int maxOpen,
                                @DefaultValue("10s") Duration recheck, @DefaultValue("20") int maxPerUser) {

    public ConsoleProperties {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("cyroid.console.idle-timeout must be positive, not " + idleTimeout);
        }
        if (recheck.isNegative() || recheck.isZero()) {
            throw new IllegalArgumentException("cyroid.console.recheck must be positive, not " + recheck);
        }
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("cyroid.console.max-per-user must be at least 1, not " + maxPerUser);
        }
        if (maxOpen < 1) {
            throw new IllegalArgumentException("cyroid.console.max-open must be at least 1, not " + maxOpen);
        }
    }
}

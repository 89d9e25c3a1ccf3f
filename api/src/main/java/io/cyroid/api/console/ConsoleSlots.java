package io.cyroid.api.console;

import io.cyroid.api.UnavailableException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The open consoles of this server, terminal and graphical (VNC) together: each holds an exec and an engine
 * connection, whatever it carries, so one limit (cyroid.console.max-open) bounds them all.
 */
final class ConsoleSlots {

    private final int maxOpen;
    private final int maxPerUser;
    private final Semaphore slots;
    /** Open consoles per user name; a user without one has no entry. */
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();

    ConsoleSlots(ConsoleProperties properties) {
        this.maxOpen = properties.maxOpen();
        this.maxPerUser = properties.maxPerUser();
        this.slots = new Semaphore(maxOpen);
    }

    /**
     * Refuses an upgrade early: 503 when every slot of the server is taken, 429 when this user holds their share
     * (cyroid.console.max-per-user), so that one user's tabs cannot take a class's consoles. The socket then takes its
     * slot atomically.
     */
    void require(String user) {
        if (slots.availablePermits() == 0) {
            throw new UnavailableException(tooMany());
        }
        if (perUser.getOrDefault(user, 0) >= maxPerUser) {
            throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, tooManyFor(user));
        }
    }

    /** Takes a slot for the user; null when taken, else why not. */
    String tryAcquire(String user) {
        if (!slots.tryAcquire()) {
            return tooMany();
        }
        boolean[] taken = new boolean[1];
        perUser.compute(user, (name, open) -> {
            int now = open == null ? 0 : open;
            if (now >= maxPerUser) {
                return open;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            slots.release();
            return tooManyFor(user);
        }
        return null;
    }

    void release(String user) {
        perUser.computeIfPresent(user, (name, open) -> open <= 1 ? null : open - 1);
        slots.release();
    }

    int open() {
        return maxOpen - slots.availablePermits();
    }

    String tooMany() {
        return "too many consoles open (cyroid.console.max-open = " + maxOpen + "): try again later";
    }

    String tooManyFor(String user) {
        return user + " has " + maxPerUser + " consoles open (cyroid.console.max-per-user): close one first";
    }
}

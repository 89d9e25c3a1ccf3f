package io.cyroid.api.console;

import io.cyroid.api.UnavailableException;
import java.util.concurrent.Semaphore;

/**
 * The open consoles of this server, terminal and graphical (VNC) together: each holds an exec and an engine
 * connection, whatever it carries, so one limit (cyroid.console.max-open) bounds them all.
 */
final class ConsoleSlots {

    private final int maxOpen;
    private final Semaphore slots;

    ConsoleSlots(ConsoleProperties properties) {
        this.maxOpen = properties.maxOpen();
        this.slots = new Semaphore(maxOpen);
    }

    /** Refuses an upgrade early (503) when every slot is taken; the socket then takes its slot atomically. */
    void require() {
        if (slots.availablePermits() == 0) {
            throw new UnavailableException(tooMany());
        }
    }

    boolean tryAcquire() {
        return slots.tryAcquire();
    }

    void release() {
        slots.release();
    }

    int open() {
        return maxOpen - slots.availablePermits();
    }

    String tooMany() {
        return "too many consoles open (cyroid.console.max-open = " + maxOpen + "): try again later";
    }
}

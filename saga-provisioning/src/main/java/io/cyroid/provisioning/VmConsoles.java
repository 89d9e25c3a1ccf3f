package io.cyroid.provisioning;

/**
 * Interactive shells in the VMs of a range: an exec of {@code sh} with a TTY through the range's inner engine. The
 * engine's streams block, so {@link #open} and the {@link Console} calls are made off the event loop; the
 * terminal's output arrives on a thread of the adapter's own.
 */
public interface VmConsoles {

    /**
     * Starts a shell in the running VM {@code vm}, with a terminal of {@code cols} x {@code rows}. Fails with an
     * {@link EngineException} in the engine's words when the VM does not run or does not exist.
     */
    Console open(String rangeId, String vm, int cols, int rows, Output output);

    /** Where the terminal's bytes go, as the engine sends them. */
    interface Output {
        void bytes(byte[] data);

        /** The shell ended by itself (exit typed) or its stream broke; called at most once. */
        void ended(String reason);
    }

    /** One open shell. */
    interface Console extends AutoCloseable {

        /** Keystrokes, as they are; never blocks (queued for the engine's stdin stream). */
        void write(byte[] data);

        void resize(int cols, int rows);

        /** Ends the shell and every process it started in the VM; idempotent. */
        @Override
        void close();
    }
}

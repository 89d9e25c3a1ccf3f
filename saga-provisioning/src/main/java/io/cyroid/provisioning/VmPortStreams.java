package io.cyroid.provisioning;

/**
 * TCP connections to a port of a VM, without exposing the range: the connection is made from inside the VM's
 * network namespace, so the server may listen on the VM's loopback only. Used by the graphical (VNC) console. The
 * engine's streams block, so {@link #connect} and the {@link Stream} calls are made off the event loop; the bytes
 * the VM sends arrive on a thread of the adapter's own.
 */
public interface VmPortStreams {

    /**
     * Connects to {@code port} on the loopback of the running VM {@code vm}. Fails with an {@link EngineException}
     * in the engine's words when the VM does not run or does not exist; a port where nothing listens ends the stream
     * at once ({@link VmConsoles.Output#ended} says so).
     */
    Stream connect(String rangeId, String vm, int port, VmConsoles.Output output);

    /** One open connection. */
    interface Stream extends AutoCloseable {

        /** Bytes for the VM's port, as they are; never blocks (queued for the engine's stdin stream). */
        void write(byte[] data);

        /** Closes the connection and ends every process started for it; idempotent. */
        @Override
        void close();
    }
}

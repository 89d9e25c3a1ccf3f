package io.cyroid.provisioning.docker;

import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The stdin docker-java pumps into an exec, fed by the WebSocket without blocking it. Not a PipedInputStream: that
 * one fails ("write end dead") once the thread that last wrote ends, and the writers here are pooled threads.
 */
final class ConsoleInput extends InputStream {

    private static final byte[] END = new byte[0];
    /** Frames waiting for the engine; a client that sends faster than the shell reads is cut off. */
    static final int MAX_PENDING = 4096;

    private final BlockingQueue<byte[]> pending = new LinkedBlockingQueue<>(MAX_PENDING);
    private byte[] current = new byte[0];
    private int position;
    private volatile boolean ended;

    /** False when the queue is full or the input has ended. */
    boolean offer(byte[] data) {
        return !ended && data.length > 0 && pending.offer(data.clone());
    }

    void end() {
        ended = true;
        pending.clear();
        pending.offer(END);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position >= current.length) {
            try {
                current = ended ? END : pending.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            position = 0;
            if (current == END) {
                return -1;
            }
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }
}

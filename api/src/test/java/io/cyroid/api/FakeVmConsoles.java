package io.cyroid.api;

import io.cyroid.provisioning.VmConsoles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A console port that echoes: what is typed comes back as {@code echo:<keys>}, a resize as {@code resized CxR}.
 * Remembers every console it opened, so a test sees which were closed (their shells killed).
 */
public class FakeVmConsoles implements VmConsoles {

    public final List<FakeConsole> opened = new CopyOnWriteArrayList<>();
    /** The next open fails with this message, as the engine's would for a VM that stopped after the checks. */
    public final java.util.concurrent.atomic.AtomicReference<String> failNext =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public Console open(String rangeId, String vm, int cols, int rows, Output output) {
        String failure = failNext.getAndSet(null);
        if (failure != null) {
            throw new io.cyroid.provisioning.EngineException(failure);
        }
        FakeConsole console = new FakeConsole(rangeId, vm, output);
        opened.add(console);
        output.bytes(("open " + vm + " " + cols + "x" + rows + "\r\n").getBytes(StandardCharsets.UTF_8));
        return console;
    }

    public static final class FakeConsole implements Console {
        public final String rangeId;
        public final String vm;
        public final AtomicBoolean closed = new AtomicBoolean();
        private final Output output;

        FakeConsole(String rangeId, String vm, Output output) {
            this.rangeId = rangeId;
            this.vm = vm;
            this.output = output;
        }

        @Override
        public void write(byte[] data) {
            String keys = new String(data, StandardCharsets.UTF_8);
            if (keys.equals("exit\n")) {
                output.ended("the shell ended");
                return;
            }
            output.bytes(("echo:" + keys).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void resize(int cols, int rows) {
            output.bytes(("resized " + cols + "x" + rows + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}

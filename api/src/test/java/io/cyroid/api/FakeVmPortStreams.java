package io.cyroid.api;

import io.cyroid.provisioning.VmConsoles;
import io.cyroid.provisioning.VmPortStreams;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A VM port that answers like a VNC server's first words ({@code RFB 003.008\n}) and then echoes every byte sent to
 * it. Port {@value #NOTHING_LISTENS} is a port where nothing listens: the stream ends at once, as the engine's does.
 */
public class FakeVmPortStreams implements VmPortStreams {

    public static final int NOTHING_LISTENS = 5999;
    public static final byte[] BANNER = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

    public final List<FakeStream> opened = new CopyOnWriteArrayList<>();

    @Override
    public Stream connect(String rangeId, String vm, int port, VmConsoles.Output output) {
        FakeStream stream = new FakeStream(rangeId, vm, port, output);
        opened.add(stream);
        if (port == NOTHING_LISTENS) {
            output.ended("nothing listens on port " + port + " of VM " + vm);
        } else {
            output.bytes(BANNER);
        }
        return stream;
    }

    public static final class FakeStream implements Stream {
        public final String rangeId;
        public final String vm;
        public final int port;
        public final AtomicBoolean closed = new AtomicBoolean();
        private final VmConsoles.Output output;

        FakeStream(String rangeId, String vm, int port, VmConsoles.Output output) {
            this.rangeId = rangeId;
            this.vm = vm;
            this.port = port;
            this.output = output;
        }

        @Override
        public void write(byte[] data) {
            output.bytes(data);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}

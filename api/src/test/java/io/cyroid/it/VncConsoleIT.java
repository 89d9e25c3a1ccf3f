package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.NotFoundException;
import io.cyroid.api.VncClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;

/**
 * The graphical console on a real desktop VM (the sample desktop-lab, image cyroid/vm-desktop:latest, which
 * scripts/prepare.sh builds: without it this test fails, it does not skip). A real RFB handshake over the WebSocket
 * (security type None), a raw framebuffer update, and a desktop that is not blank: several colours, the root
 * window's among them. Controls: a VM without a console is refused (409); a VM whose console port has nothing
 * listening closes with that reason; the exec's processes are seen in the DinD while a console is open, and none
 * is left after it closed.
 */
class VncConsoleIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(240);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String IMAGE = "cyroid/vm-desktop:latest";
    /** The desktop image's root window colour (#2e5e7e), as the RFB server sends it with 8 bits per colour. */
    static final int ROOT_COLOUR = 0x2e5e7e;

    /** The sample, renamed, with a VM that declares a console where nothing listens. */
    static String blueprint() {
        try {
            String sample = new ClassPathResource("samples/desktop-lab.yaml")
                    .getContentAsString(StandardCharsets.UTF_8);
            assertThat(sample).startsWith("name: desktop-lab\n").contains("\nresources:");
            return sample.replace("name: desktop-lab\n", "name: it-vnc\n").replace("\nresources:", """

                      - name: deaf
                        image: cyroid/vm-busybox:latest
                        interfaces: [{network: lan, ip: 10.0.5.30}]
                        command: ["sleep", "infinity"]
                        console: {type: vnc, port: 5999}
                    resources:""");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Processes in the DinD that carry a VNC console's marker (DockerVmPortStreams.MARKER). */
    static int streamProcesses(String dind) throws InterruptedException {
        RealEngine.ExecResult result = RealEngine.exec(dind, "sh", "-c",
                "grep -las CYROID_VNC= /proc/[0-9]*/environ | wc -l");
        return Integer.parseInt(result.output().strip());
    }

    VncClient vnc(String rangeId, String vm) {
        return VncClient.open("http://127.0.0.1:" + port, rangeId, vm, "admin", PASSWORD, "binary");
    }

    @Test
    void aRealRfbHandshakeShowsANonBlankDesktopAndNothingIsLeftAfterClose() throws Exception {
        try {
            RealEngine.HOST.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            fail("image %s is missing: scripts/build-desktop-vm-image.sh builds it (scripts/prepare.sh calls it)",
                    IMAGE);
        }
        String rangeId = api.requestRange(api.registerBlueprint(blueprint()), "vnc");
        JsonNode range = api.awaitStatus(rangeId, "DEPLOYED", TIMEOUT);
        String dind = range.get("dind").get("containerName").asText();
        assertThat(range.get("vms").get(0).get("console").get("port").asInt()).isEqualTo(5900);

        // control: a VM without a console is refused before the upgrade
        api.web.get().uri("/api/v1/ranges/{id}/vms/server/vnc", rangeId)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(streamProcesses(dind)).as("no console process before a console opens").isZero();

        VncClient client = vnc(rangeId, "desktop");
        Rfb rfb = new Rfb(client);
        String banner = new String(rfb.take(12), StandardCharsets.US_ASCII);
        assertThat(banner).matches("RFB 003\\.00[378]\n");
        assertThat(client.subprotocol()).isEqualTo("binary");
        client.send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        byte[] types = rfb.take(rfb.u8());
        assertThat(types).as("security types").contains((byte) 1);
        client.send(new byte[] {1}); // None: the port is reachable only through Cyroid
        assertThat(rfb.u32()).as("security result").isZero();
        client.send(new byte[] {1}); // ClientInit, shared
        int width = rfb.u16();
        int height = rfb.u16();
        PixelFormat format = PixelFormat.of(rfb.take(16));
        String name = new String(rfb.take(rfb.u32()), StandardCharsets.UTF_8);
        assertThat(name).isEqualTo("desktop");
        assertThat(width * height).isPositive();
        assertThat(format.trueColour()).isTrue();
        client.send(new byte[] {2, 0, 0, 1, 0, 0, 0, 0}); // SetEncodings: raw only

        // control: the exec's processes are there while the console is open
        await().atMost(WAIT).until(() -> streamProcesses(dind) > 0);

        // the whole screen, then what changes, until the desktop (drawn as the VM starts) shows its window
        rfb.request(width, height, false);
        rfb.update(format);
        for (int updates = 1; updates < 50 && !desktopShown(rfb.colours()); updates++) {
            rfb.request(width, height, true);
            rfb.update(format);
        }
        assertThat(rfb.colours()).as("colours of the desktop; messages %s", rfb.seen).contains(ROOT_COLOUR)
                .hasSizeGreaterThanOrEqualTo(3);
        System.out.printf("VNC desktop %dx%d: %d colours; messages %s%n", width, height, rfb.colours().size(),
                rfb.seen.length() > 300 ? rfb.seen.substring(0, 300) + "..." : rfb.seen);

        client.close();
        await().atMost(WAIT).until(() -> streamProcesses(dind) == 0);

        // a port where nothing listens: the socket closes with the reason, and nothing stays behind either
        VncClient deaf = vnc(rangeId, "deaf");
        await().atMost(WAIT).until(() -> deaf.closeStatus() != null);
        assertThat(deaf.closeStatus().getReason()).isEqualTo("nothing listens on port 5999 of VM deaf");
        assertThat(deaf.received()).isEmpty();
        await().atMost(WAIT).until(() -> streamProcesses(dind) == 0);

        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
    }

    /** The root window's colour and at least two more (the terminal's window): not a blank screen. */
    static boolean desktopShown(Set<Integer> colours) {
        return colours.contains(ROOT_COLOUR) && colours.size() >= 3;
    }

    /** How the server encodes a pixel (RFB 7.4): what is needed to read a raw pixel's colour. */
    record PixelFormat(int bytesPerPixel, boolean bigEndian, boolean trueColour, int redMax, int greenMax,
                       int blueMax, int redShift, int greenShift, int blueShift) {
        static PixelFormat of(byte[] b) {
            ByteBuffer buffer = ByteBuffer.wrap(b);
            return new PixelFormat((b[0] & 0xff) / 8, b[2] != 0, b[3] != 0, buffer.getShort(4) & 0xffff,
                    buffer.getShort(6) & 0xffff, buffer.getShort(8) & 0xffff, b[10] & 0xff, b[11] & 0xff,
                    b[12] & 0xff);
        }

        /** The colour as 0xRRGGBB, each channel scaled to 8 bits. */
        int rgb(byte[] data, int offset) {
            long value = 0;
            for (int i = 0; i < bytesPerPixel; i++) {
                int at = bigEndian ? i : bytesPerPixel - 1 - i;
                value = (value << 8) | (data[offset + at] & 0xff);
            }
            int r = (int) ((value >> redShift) & redMax) * 255 / redMax;
            int g = (int) ((value >> greenShift) & greenMax) * 255 / greenMax;
            int b = (int) ((value >> blueShift) & blueMax) * 255 / blueMax;
            return (r << 16) | (g << 8) | b;
        }
    }

    /** Reads the server's messages from the bytes the client received, in order, waiting for them to arrive. */
    static final class Rfb {
        private final VncClient client;
        private int position;

        Rfb(VncClient client) {
            this.client = client;
        }

        byte[] take(int n) {
            int end = position + n;
            if (client.receivedCount() < end) {
                await().atMost(WAIT).alias(n + " bytes from the VNC server")
                        .until(() -> client.receivedCount() >= end || client.closeStatus() != null);
            }
            assertThat(client.receivedCount()).as("bytes before the socket closed (%s)", client.closeStatus())
                    .isGreaterThanOrEqualTo(end);
            byte[] out = client.received(position, n);
            position = end;
            return out;
        }

        int u8() {
            return take(1)[0] & 0xff;
        }

        int u16() {
            return ByteBuffer.wrap(take(2)).order(ByteOrder.BIG_ENDIAN).getShort() & 0xffff;
        }

        int u32() {
            return ByteBuffer.wrap(take(4)).order(ByteOrder.BIG_ENDIAN).getInt();
        }

        /** The screen as the updates drew it, 0xRRGGBB per pixel; what the server sent, for a failure's message. */
        private int[] screen;
        private int screenWidth;
        final StringBuilder seen = new StringBuilder();

        /** Asks for an update of the whole screen: all of it, or ({@code incremental}) what changed since. */
        void request(int width, int height, boolean incremental) {
            if (screen == null) {
                screen = new int[width * height];
                screenWidth = width;
            }
            ByteBuffer request = ByteBuffer.allocate(10).put((byte) 3).put((byte) (incremental ? 1 : 0))
                    .putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height);
            client.send(request.array());
        }

        /** Reads the server's messages up to and including the next FramebufferUpdate, drawn into the screen. */
        void update(PixelFormat format) {
            while (true) {
                int type = u8();
                seen.append(type).append(' ');
                switch (type) {
                    case 0 -> {
                        take(1); // padding
                        int rects = u16();
                        for (int r = 0; r < rects; r++) {
                            int x = u16();
                            int y = u16();
                            int w = u16();
                            int h = u16();
                            int encoding = u32();
                            seen.append('[').append(x).append(',').append(y).append(' ').append(w).append('x')
                                    .append(h).append(" enc ").append(encoding).append("] ");
                            assertThat(encoding).as("raw encoding; seen %s", seen).isZero();
                            byte[] pixels = take(w * h * format.bytesPerPixel());
                            for (int row = 0; row < h; row++) {
                                for (int col = 0; col < w; col++) {
                                    screen[(y + row) * screenWidth + x + col] = format.rgb(pixels,
                                            (row * w + col) * format.bytesPerPixel());
                                }
                            }
                        }
                        return;
                    }
                    case 1 -> { // SetColourMapEntries: padding, first colour, count, 6 bytes per colour
                        take(3);
                        take(6 * u16());
                    }
                    case 2 -> { } // Bell
                    case 3 -> {
                        take(3);
                        take(u32());
                    }
                    default -> fail("unknown server message type %d; seen %s", type, seen);
                }
            }
        }

        Set<Integer> colours() {
            Set<Integer> colours = new HashSet<>();
            for (int pixel : screen) {
                colours.add(pixel);
            }
            return colours;
        }
    }
}

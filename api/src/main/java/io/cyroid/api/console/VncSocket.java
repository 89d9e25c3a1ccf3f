package io.cyroid.api.console;

import io.cyroid.api.Blocking;
import io.cyroid.api.UnavailableException;
import io.cyroid.provisioning.VmPortStreams;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One graphical console: binary frames carry the VM's RFB (VNC) byte stream both ways, as they are, as websockify
 * does, so that noVNC's RFB client works on it unchanged. A text frame is no part of that protocol: it closes the
 * socket (1003). The engine side is a TCP connection to the VM's VNC port ({@link VmPortStreams}); the socket ends
 * when the client closes, when the VNC server closes, or after the terminal's idle timeout without a frame from the
 * client (a viewer asks for updates only after the screen changed, so a still screen nobody uses goes idle).
 *
 * <p>Close codes as the terminal's: 1000 closed or the server ended the connection (the reason says which), 4408
 * idle, 4409 the connection could not start, 1003 a text frame, 1013 too many consoles.
 */
public final class VncSocket {

    private static final Logger log = LoggerFactory.getLogger(VncSocket.class);
    private static final CloseStatus TEXT = CloseStatus.NOT_ACCEPTABLE.withReason(
            "a VNC console carries the RFB stream in binary frames only");

    private final VmPortStreams streams;
    private final ConsoleProperties properties;
    private final ConsoleSlots slots;

    VncSocket(VmPortStreams streams, ConsoleProperties properties, ConsoleSlots slots) {
        this.streams = streams;
        this.properties = properties;
        this.slots = slots;
    }

    void requireSlot(String user) {
        if (streams == null) {
            throw new UnavailableException("this server has no engine: consoles are off");
        }
        slots.require(user);
    }

    /** Consoles open now, terminal and graphical ones together. */
    public int open() {
        return slots.open();
    }

    /** The socket's handler for the VNC console of {@code target} on {@code port}, allowed by the endpoint. */
    Mono<Void> handle(WebSocketSession session, ConsoleTarget target, int port) {
        return handle(session, target, port, Mono.never());
    }

    /** As above; {@code revoked} closes the console with its status (its user may no longer have it). */
    Mono<Void> handle(WebSocketSession session, ConsoleTarget target, int port, Mono<CloseStatus> revoked) {
        String refused = slots.tryAcquire(target.user());
        if (refused != null) {
            return session.close(CloseStatus.SERVICE_OVERLOAD.withReason(ConsoleSocket.reason(refused)));
        }
        ConsoleOutput output = new ConsoleOutput();
        AtomicReference<VmPortStreams.Stream> opened = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        Mono<Void> console = Blocking.call(() -> {
                    VmPortStreams.Stream started = streams.connect(target.rangeId(), target.vm(), port, output);
                    opened.set(started);
                    if (finished.get()) {
                        started.close(); // the client went away while the connection was starting
                    }
                    log.info("VNC console opened: {} on range {} VM {} port {}", target.user(), target.rangeId(),
                            target.vm(), port);
                    return started;
                })
                .onErrorMap(ConsoleSocket.NotStarted::new)
                .flatMap(started -> {
                    // as the terminal's: the inbound stays subscribed until the close handshake ends
                    Sinks.One<CloseStatus> clientClosed = Sinks.one();
                    AtomicLong lastInput = new AtomicLong(System.nanoTime());
                    Mono<Void> input = session.receive()
                            .filter(message -> message.getType() == WebSocketMessage.Type.BINARY
                                    || message.getType() == WebSocketMessage.Type.TEXT)
                            .doOnNext(message -> {
                                if (message.getType() == WebSocketMessage.Type.TEXT) {
                                    clientClosed.tryEmitValue(TEXT);
                                    return;
                                }
                                byte[] data = bytes(message);
                                if (!onlyUpdateRequests(data)) {
                                    lastInput.set(System.nanoTime());
                                }
                                started.write(data);
                            })
                            .then()
                            .doFinally(signal -> clientClosed.tryEmitValue(CloseStatus.NORMAL));
                    Mono<Void> stop = Mono.firstWithSignal(clientClosed.asMono(), output.ended(),
                                    ConsoleSocket.idle(properties, lastInput), revoked)
                            .flatMap(status -> ConsoleSocket.closeShell(started).thenReturn(status))
                            .flatMap(status -> session.close(status).onErrorResume(gone -> Mono.empty())
                                    .then(Mono.fromRunnable(output::complete)));
                    return Mono.when(session.send(output.frames().map(frame -> frame.message(session))), input,
                            stop);
                })
                .onErrorResume(ConsoleSocket.NotStarted.class, e -> {
                    String why = e.getCause().getMessage();
                    log.info("VNC console on range {} VM {} did not start: {}", target.rangeId(), target.vm(), why);
                    return session.close(new CloseStatus(ConsoleSocket.NOT_STARTED, ConsoleSocket.reason(why)))
                            .then(Mono.fromRunnable(output::complete));
                });
        return console.doFinally(signal -> {
            finished.set(true);
            VmPortStreams.Stream started = opened.get();
            if (started != null) {
                // cancelled (the server stops, the connection broke): the exec must not outlive its console
                ConsoleSocket.closeShell(started).subscribe();
            }
            slots.release(target.user());
            log.info("VNC console closed ({}): {} on range {} VM {}", signal, target.user(), target.rangeId(),
                    target.vm());
        });
    }

    /** The frame's bytes, copied out of its buffer (released once the frame has been handled). */
    /**
     * True for a frame of nothing but RFB FramebufferUpdateRequests (type 3, 10 bytes each): a viewer sends those
     * by itself while the screen changes, so they are not a user at the keyboard or the mouse and do not keep an
     * idle console open. Everything else (keys, pointer, clipboard, the handshake) does.
     */
    static boolean onlyUpdateRequests(byte[] data) {
        if (data.length == 0 || data.length % 10 != 0) {
            return false;
        }
        for (int at = 0; at < data.length; at += 10) {
            if (data[at] != 3) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(WebSocketMessage message) {
        byte[] bytes = new byte[message.getPayload().readableByteCount()];
        message.getPayload().read(bytes);
        return bytes;
    }
}

package io.cyroid.api.console;

import io.cyroid.api.Blocking;
import io.cyroid.api.UnavailableException;
import io.cyroid.provisioning.VmConsoles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One console: binary frames are the terminal's bytes both ways, text frames JSON control messages
 * ({@code {"type":"resize","cols":120,"rows":40}}). The engine's calls run on the bounded-elastic pool; the
 * terminal's output arrives on the adapter's stream thread and goes out through a sink ({@link ConsoleOutput}).
 * The console ends when the client closes, when the shell ends, or after the idle timeout; then the shell is killed.
 *
 * <p>Close codes: 1000 closed or the shell ended; 4408 idle; 4409 the shell could not start (the VM stopped between
 * the check and the upgrade); 1013 too many consoles; 1011 an unexpected failure.
 */
public final class ConsoleSocket {

    static final int IDLE = 4408;
    static final int NOT_STARTED = 4409;
    static final int COLS = 80;
    static final int ROWS = 24;
    /** Terminal sizes outside 1..MAX_SIZE are refused: the engine would take them and the VM's tty break. */
    static final int MAX_SIZE = 1000;

    private static final Logger log = LoggerFactory.getLogger(ConsoleSocket.class);

    private final VmConsoles consoles;
    private final ConsoleProperties properties;
    private final ObjectMapper json;
    private final ConsoleSlots slots;

    ConsoleSocket(VmConsoles consoles, ConsoleProperties properties, ObjectMapper json, ConsoleSlots slots) {
        this.consoles = consoles;
        this.properties = properties;
        this.json = json;
        this.slots = slots;
    }

    /** Refuses the upgrade early when every slot is taken (the socket takes its slot itself, atomically). */
    void requireSlot(String user) {
        if (consoles == null) {
            throw new UnavailableException("this server has no engine: consoles are off");
        }
        slots.require(user);
    }

    /** Consoles open now, terminal and graphical ones together (they share cyroid.console.max-open). */
    public int open() {
        return slots.open();
    }

    /** The socket's handler for the console {@code target}, which the upgrade request was allowed. */
    Mono<Void> handle(WebSocketSession session, ConsoleTarget target) {
        return handle(session, target, Mono.never());
    }

    /** As above; {@code revoked} closes the console with its status (its user may no longer have it). */
    Mono<Void> handle(WebSocketSession session, ConsoleTarget target, Mono<CloseStatus> revoked) {
        String refused = slots.tryAcquire(target.user());
        if (refused != null) {
            return session.close(CloseStatus.SERVICE_OVERLOAD.withReason(reason(refused)));
        }
        ConsoleOutput output = new ConsoleOutput();
        AtomicReference<VmConsoles.Console> opened = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        Mono<Void> console = Blocking.call(() -> {
                    VmConsoles.Console started = consoles.open(target.rangeId(), target.vm(), COLS, ROWS, output);
                    opened.set(started);
                    if (finished.get()) {
                        started.close(); // the client went away while the shell was starting
                    }
                    log.info("console opened: {} on range {} VM {}", target.user(), target.rangeId(), target.vm());
                    return started;
                })
                .onErrorMap(NotStarted::new)
                .flatMap(started -> {
                    // the inbound stays subscribed until the close handshake ends: cancelling it would drop the
                    // connection without a close frame, and the client would never learn why its console ended
                    Sinks.One<CloseStatus> clientClosed = Sinks.one();
                    AtomicLong lastInput = new AtomicLong(System.nanoTime());
                    Mono<Void> input = input(session, started, output, lastInput)
                            .doFinally(signal -> clientClosed.tryEmitValue(CloseStatus.NORMAL));
                    Mono<Void> stop = Mono.firstWithSignal(clientClosed.asMono(), output.ended(),
                                    idle(properties, lastInput), revoked)
                            .flatMap(status -> closeShell(started).thenReturn(status))
                            // the close frame first: output completing first would end the connection without it
                            .flatMap(status -> session.close(status).onErrorResume(gone -> Mono.empty())
                                    .then(Mono.fromRunnable(output::complete)));
                    return Mono.when(session.send(output.frames().map(frame -> frame.message(session))), input,
                            stop);
                })
                .onErrorResume(NotStarted.class, e -> {
                    String why = e.getCause().getMessage();
                    log.info("console on range {} VM {} did not start: {}", target.rangeId(), target.vm(), why);
                    return session.close(new CloseStatus(NOT_STARTED, reason(why)))
                            .then(Mono.fromRunnable(output::complete));
                });
        return console.doFinally(signal -> {
            finished.set(true);
            VmConsoles.Console started = opened.get();
            if (started != null) {
                // cancelled (the server stops, the connection broke): the shell must not outlive its console
                closeShell(started).subscribe();
            }
            slots.release(target.user());
            log.info("console closed ({}): {} on range {} VM {}", signal, target.user(), target.rangeId(),
                    target.vm());
        });
    }

    /** Keystrokes and control messages, until the client closes or the close handshake ends. */
    private Mono<Void> input(WebSocketSession session, VmConsoles.Console console, ConsoleOutput output,
                             AtomicLong lastInput) {
        return session.receive()
                // pings and pongs are the connection's, not the user's: they neither type nor keep a console alive
                .filter(message -> message.getType() == WebSocketMessage.Type.BINARY
                        || message.getType() == WebSocketMessage.Type.TEXT)
                .map(ConsoleFrame::of)
                .doOnNext(frame -> lastInput.set(System.nanoTime()))
                .concatMap(frame -> frame.text() == null
                        ? Mono.fromRunnable(() -> console.write(frame.bytes()))
                        : control(console, frame.text(), output))
                .then();
    }

    /** 4408 once nothing was typed for the idle timeout; checked a few times per timeout, on a timer thread. */
    static Mono<CloseStatus> idle(ConsoleProperties properties, AtomicLong lastInput) {
        Duration timeout = properties.idleTimeout();
        Duration every = Duration.ofMillis(Math.max(50, Math.min(timeout.toMillis() / 10, 5_000)));
        return Flux.interval(every)
                .filter(tick -> System.nanoTime() - lastInput.get() >= timeout.toNanos())
                .next()
                .map(tick -> new CloseStatus(IDLE,
                        reason("idle for " + timeout + " (cyroid.console.idle-timeout): closed")));
    }

    /** A control message; a malformed one is answered with an error message, and the console stays open. */
    private Mono<Void> control(VmConsoles.Console console, String text, ConsoleOutput output) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (java.io.IOException e) {
            output.error("a text frame must be a JSON control message");
            return Mono.empty();
        }
        String type = message == null ? null : message.path("type").asText(null);
        if (!"resize".equals(type)) {
            output.error("unknown control message type " + type + ": known are resize");
            return Mono.empty();
        }
        JsonNode cols = message.get("cols");
        JsonNode rows = message.get("rows");
        if (!inRange(cols) || !inRange(rows)) {
            output.error("resize needs cols and rows, whole numbers from 1 to " + MAX_SIZE);
            return Mono.empty();
        }
        return Blocking.call(() -> {
            console.resize(cols.intValue(), rows.intValue());
            return true;
        }).onErrorResume(e -> {
            output.error("resize failed: " + e.getMessage());
            return Mono.empty();
        }).then();
    }

    private static boolean inRange(JsonNode size) {
        return size != null && size.canConvertToInt() && size.isIntegralNumber() && size.intValue() >= 1
                && size.intValue() <= MAX_SIZE;
    }

    /** Closes a console's engine side off the event loop; a failure is logged, not thrown. */
    static Mono<Boolean> closeShell(AutoCloseable console) {
        return Blocking.call(() -> {
            console.close();
            return true;
        }).onErrorResume(e -> {
            log.warn("ending a console's shell failed: {}", e.getMessage());
            return Mono.just(false);
        });
    }

    /** A close reason holds at most 123 bytes of UTF-8. */
    static String reason(String text) {
        String reason = text == null ? "" : text;
        while (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            reason = reason.substring(0, reason.length() - 1);
        }
        return reason;
    }

    /** The shell did not start: answered with 4409, unlike a failure of a console that ran. */
    static final class NotStarted extends RuntimeException {
        NotStarted(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** One frame from the client, copied out of its buffer (which is released once the frame has been mapped). */
    record ConsoleFrame(byte[] bytes, String text) {
        static ConsoleFrame of(WebSocketMessage message) {
            if (message.getType() == WebSocketMessage.Type.TEXT) {
                return new ConsoleFrame(null, message.getPayloadAsText());
            }
            byte[] bytes = new byte[message.getPayload().readableByteCount()];
            message.getPayload().read(bytes);
            return new ConsoleFrame(bytes, null);
        }
    }
}

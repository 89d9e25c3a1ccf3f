package io.cyroid.api.console;

import io.cyroid.provisioning.VmConsoles;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * What goes to the client: the terminal's bytes (from the engine adapter's stream thread) and error messages (from
 * the socket's input handling), serialised through one bounded sink. When the client reads slower than the shell
 * writes, the adapter's stream thread waits (a thread of its own, never the event loop), and the engine's
 * connection with it: output is never dropped.
 */
final class ConsoleOutput implements VmConsoles.Output {

    /** Frames waiting for the client. */
    static final int BUFFERED_FRAMES = 256;
    private static final long WAIT_NANOS = 2_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sinks.Many<Frame> frames = Sinks.many().unicast()
            .onBackpressureBuffer(Queues.<Frame>get(BUFFERED_FRAMES).get());
    private final Sinks.One<CloseStatus> ended = Sinks.one();
    private volatile boolean done;

    /** Binary: terminal bytes; text: a JSON control message. */
    record Frame(byte[] bytes, String text) {
        WebSocketMessage message(WebSocketSession session) {
            return text == null ? session.binaryMessage(factory -> factory.wrap(bytes))
                    : session.textMessage(text);
        }
    }

    Flux<Frame> frames() {
        return frames.asFlux();
    }

    Mono<CloseStatus> ended() {
        return ended.asMono();
    }

    @Override
    public void bytes(byte[] data) {
        emit(new Frame(data, null));
    }

    @Override
    public void ended(String reason) {
        ended.tryEmitValue(CloseStatus.NORMAL.withReason(ConsoleSocket.reason(reason)));
    }

    /** Called on the event loop: never waits; dropped when the client does not even read its terminal. */
    void error(String message) {
        try {
            Frame frame = new Frame(null, JSON.writeValueAsString(Map.of("type", "error", "message", message)));
            synchronized (frames) {
                frames.tryEmitNext(frame);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void complete() {
        done = true;
        synchronized (frames) {
            frames.tryEmitComplete();
        }
    }

    private void emit(Frame frame) {
        while (!done) {
            Sinks.EmitResult result;
            synchronized (frames) {
                result = frames.tryEmitNext(frame);
            }
            if (result != Sinks.EmitResult.FAIL_OVERFLOW) {
                return;
            }
            // the buffer is full: the stream thread waits for the client, as a blocking write would
            LockSupport.parkNanos(WAIT_NANOS);
        }
    }
}

package io.cyroid.api;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A client of the VNC console for the tests, as noVNC connects: HTTP Basic on the upgrade request, optionally the
 * {@code binary} subprotocol, binary frames both ways. Every byte received is kept, in order, for the tests to read.
 */
public final class VncClient implements AutoCloseable {

    private final Received received = new Received();
    private final Sinks.Many<Object> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicReference<WebSocketSession> session = new AtomicReference<>();
    private final AtomicReference<CloseStatus> closeStatus = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private VncClient() {
    }

    public static VncClient open(String baseUrl, String rangeId, String vm, String user, String password,
                                 String... subprotocols) {
        VncClient client = new VncClient();
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth(user, password);
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/api/v1/ranges/" + rangeId + "/vms/" + vm
                + "/vnc");
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return List.of(subprotocols);
            }

            @Override
            public Mono<Void> handle(WebSocketSession ws) {
                client.session.set(ws);
                ws.closeStatus().subscribe(client.closeStatus::set);
                Mono<Void> in = ws.receive().doOnNext(message -> {
                    if (message.getType() == WebSocketMessage.Type.BINARY) {
                        byte[] bytes = new byte[message.getPayload().readableByteCount()];
                        message.getPayload().read(bytes);
                        synchronized (client.received) {
                            client.received.write(bytes, 0, bytes.length);
                        }
                    }
                }).then();
                Mono<Void> out = ws.send(client.outgoing.asFlux().map(frame -> frame instanceof byte[] bytes
                        ? ws.binaryMessage(factory -> factory.wrap(bytes)) : ws.textMessage((String) frame)));
                return Mono.firstWithSignal(in, out);
            }
        };
        new ReactorNettyWebSocketClient().execute(uri, headers, handler)
                .subscribe(done -> { }, client.failure::set);
        return client;
    }

    public void send(byte[] bytes) {
        outgoing.tryEmitNext(bytes.clone());
    }

    public void sendText(String text) {
        outgoing.tryEmitNext(text);
    }

    /** Everything received so far. */
    public byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** {@code n} bytes received, from the {@code from}-th on (without copying all the rest). */
    public byte[] received(int from, int n) {
        return received.slice(from, n);
    }

    public int receivedCount() {
        synchronized (received) {
            return received.size();
        }
    }

    public boolean connected() {
        return session.get() != null;
    }

    /** The subprotocol the server accepted; null if none. */
    public String subprotocol() {
        WebSocketSession open = session.get();
        return open == null ? null : open.getHandshakeInfo().getSubProtocol();
    }

    public CloseStatus closeStatus() {
        return closeStatus.get();
    }

    public Throwable failure() {
        return failure.get();
    }

    /** Lets a slice be read without copying the whole buffer (a raw frame is megabytes). */
    private static final class Received extends ByteArrayOutputStream {
        synchronized byte[] slice(int from, int n) {
            if (from + n > count) {
                throw new IndexOutOfBoundsException(from + n + " > " + count);
            }
            return java.util.Arrays.copyOfRange(buf, from, from + n);
        }
    }

    @Override
    public void close() {
        WebSocketSession open = session.get();
        if (open != null) {
            open.close().subscribe();
        }
        outgoing.tryEmitComplete();
    }
}

package io.cyroid.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A terminal console client for the tests, as a script would use it: HTTP Basic on the upgrade request, binary frames
 * for keystrokes, text frames for control messages. Everything it receives is kept for the tests to wait on.
 */
public final class ConsoleClient implements AutoCloseable {

    private final StringBuffer output = new StringBuffer();
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final Sinks.Many<Object> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicReference<WebSocketSession> session = new AtomicReference<>();
    private final AtomicReference<CloseStatus> closeStatus = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private ConsoleClient() {
    }

    public static ConsoleClient open(String baseUrl, String rangeId, String vm, String user, String password) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth(user, password);
        return open(URI.create(baseUrl.replaceFirst("^http", "ws") + "/api/v1/ranges/" + rangeId + "/vms/" + vm
                + "/console"), headers);
    }

    /** As a page does: no credentials, the console ticket's url ({@code /api/...?ticket=}) instead. */
    public static ConsoleClient withTicket(String baseUrl, String ticketUrl) {
        return open(URI.create(baseUrl.replaceFirst("^http", "ws") + ticketUrl), new HttpHeaders());
    }

    private static ConsoleClient open(URI uri, HttpHeaders headers) {
        ConsoleClient client = new ConsoleClient();
        new ReactorNettyWebSocketClient().execute(uri, headers, ws -> {
            client.session.set(ws);
            ws.closeStatus().subscribe(client.closeStatus::set);
            Mono<Void> in = ws.receive().doOnNext(message -> {
                if (message.getType() == WebSocketMessage.Type.BINARY) {
                    client.output.append(message.getPayloadAsText(StandardCharsets.UTF_8));
                } else if (message.getType() == WebSocketMessage.Type.TEXT) {
                    client.texts.add(message.getPayloadAsText());
                }
            }).then();
            Mono<Void> out = ws.send(client.outgoing.asFlux().map(frame -> frame instanceof byte[] bytes
                    ? ws.binaryMessage(factory -> factory.wrap(bytes)) : ws.textMessage((String) frame)));
            return Mono.firstWithSignal(in, out);
        }).subscribe(done -> { }, client.failure::set);
        return client;
    }

    public void type(String keys) {
        outgoing.tryEmitNext(keys.getBytes(StandardCharsets.UTF_8));
    }

    public void control(String json) {
        outgoing.tryEmitNext(json);
    }

    public String output() {
        return output.toString();
    }

    public List<String> texts() {
        return List.copyOf(texts);
    }

    public boolean connected() {
        return session.get() != null;
    }

    /** How the server closed it, once it has; null while open. */
    public CloseStatus closeStatus() {
        return closeStatus.get();
    }

    /** Why the connection failed (a refused upgrade), if it did. */
    public Throwable failure() {
        return failure.get();
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

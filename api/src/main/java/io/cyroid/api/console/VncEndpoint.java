package io.cyroid.api.console;

import io.cyroid.api.ConflictException;
import io.cyroid.api.ForbiddenException;
import io.cyroid.api.range.RangeController;
import io.cyroid.messages.RangeView;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/ranges/{id}/vms/{vm}/vnc}: the same checks before the upgrade as the terminal console
 * ({@link ConsoleEndpoint}: 401/403/404/409/503 as application/problem+json), and 409 also for a VM whose blueprint
 * declares no VNC console. Then {@link VncSocket} carries the RFB stream to the port the blueprint names. The
 * {@code binary} subprotocol, which websockify's clients offer, is accepted.
 */
final class VncEndpoint implements WebHandler {

    /** What noVNC (and websockify) call a socket of raw binary frames. */
    static final String SUBPROTOCOL = "binary";

    private final RangeController ranges;
    private final WebSocketService handshake;
    private final VncSocket socket;
    private final ObjectMapper json;
    private final ConsoleAudit audit;
    private final ConsoleWatch watch;

    VncEndpoint(RangeController ranges, WebSocketService handshake, VncSocket socket, ObjectMapper json,
                ConsoleAudit audit, ConsoleWatch watch) {
        this.ranges = ranges;
        this.handshake = handshake;
        this.socket = socket;
        this.json = json;
        this.audit = audit;
        this.watch = watch;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        Map<String, String> path = exchange.getAttributeOrDefault(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE,
                Map.of());
        String rangeId = path.get("id");
        String vm = path.get("vm");
        return exchange.getPrincipal()
                .switchIfEmpty(Mono.error(() -> new ForbiddenException("sign in to open a console")))
                .flatMap(user -> ranges.usable(rangeId, user).map(range -> {
                    int port = requireVnc(range, vm);
                    socket.requireSlot(user.getName());
                    return new Allowed(new ConsoleTarget(rangeId, vm, user.getName()), port, user);
                }))
                .flatMap(allowed -> watch.begin(allowed.target(), allowed.user()).flatMap(watched -> audit.open(
                        allowed.target(), ConsoleAudit.VNC).flatMap(consoleId ->
                        handshake.handleRequest(exchange, new Handler(allowed, consoleId, watched)).onErrorResume(e ->
                                audit.close(consoleId, allowed.target(), "not opened: " + e.getMessage())
                                        .then(Mono.error(e))))))
                .onErrorResume(e -> exchange.getResponse().isCommitted() ? Mono.error(e)
                        : ConsoleEndpoint.refuse(exchange, e, json));
    }

    /** The terminal's conditions, and a VNC console declared by the VM's blueprint: its port. */
    static int requireVnc(RangeView range, String vm) {
        ConsoleEndpoint.requireConsole(range, vm);
        RangeView.Vm found = range.vms().stream().filter(candidate -> candidate.name().equals(vm)).findFirst()
                .orElseThrow();
        if (!found.hasVnc()) {
            throw new ConflictException("VM " + vm + " has no graphical console: its blueprint declares none"
                    + " (console: {type: vnc, port: 5900}); use its terminal console");
        }
        return found.console().port();
    }

    private record Allowed(ConsoleTarget target, int port, java.security.Principal user) {
    }

    /** The socket's handler; offers the subprotocol so that a client asking for {@code binary} gets it. */
    private final class Handler implements WebSocketHandler {
        private final Allowed allowed;
        private final String consoleId;
        private final ConsoleWatch.Watched watched;

        Handler(Allowed allowed, String consoleId, ConsoleWatch.Watched watched) {
            this.allowed = allowed;
            this.consoleId = consoleId;
            this.watched = watched;
        }

        @Override
        public List<String> getSubProtocols() {
            return List.of(SUBPROTOCOL);
        }

        @Override
        public Mono<Void> handle(WebSocketSession session) {
            return audit.audited(consoleId, allowed.target(), session,
                    socket.handle(session, allowed.target(), allowed.port(), watched.revoked()));
        }
    }
}

package io.cyroid.api.console;

import io.cyroid.api.ConflictException;
import io.cyroid.api.ForbiddenException;
import io.cyroid.api.NotFoundException;
import io.cyroid.api.ProblemHandlers;
import io.cyroid.api.UnavailableException;
import io.cyroid.api.range.RangeController;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/ranges/{id}/vms/{vm}/console}: checks before the upgrade, so that a refusal is an ordinary HTTP
 * answer (application/problem+json) that any client shows: 404 unknown range or VM, 403 a user who may not use the
 * range, 409 a range not DEPLOYED or a VM not RUNNING, 503 too many consoles open. Then the WebSocket handshake, and
 * {@link ConsoleSocket} carries the terminal. The security chain has authenticated the upgrade request already.
 */
final class ConsoleEndpoint implements WebHandler {

    private final RangeController ranges;
    private final WebSocketService handshake;
    private final ConsoleSocket socket;
    private final ObjectMapper json;
    private final ConsoleAudit audit;
    private final ConsoleWatch watch;

    ConsoleEndpoint(RangeController ranges, WebSocketService handshake, ConsoleSocket socket, ObjectMapper json,
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
                .flatMap(user -> ranges.usable(rangeId, user).doOnNext(range -> requireConsole(range, vm))
                        .thenReturn(user))
                .flatMap(user -> {
                    socket.requireSlot(user.getName());
                    ConsoleTarget target = new ConsoleTarget(rangeId, vm, user.getName());
                    return watch.begin(target, user).flatMap(watched -> audit.open(target, ConsoleAudit.TERMINAL)
                            .flatMap(consoleId -> upgrade(exchange, target, consoleId, session -> audit.audited(
                                    consoleId, target, session, socket.handle(session, target,
                                            watched.revoked())))));
                })
                .onErrorResume(e -> exchange.getResponse().isCommitted() ? Mono.error(e) : refuse(exchange, e, json));
    }

    /** The handshake; when it fails (not a WebSocket request, say), the console recorded as opened is closed. */
    Mono<Void> upgrade(ServerWebExchange exchange, ConsoleTarget target, String consoleId,
                       org.springframework.web.reactive.socket.WebSocketHandler handler) {
        return handshake.handleRequest(exchange, handler)
                .onErrorResume(e -> audit.close(consoleId, target, "not opened: " + e.getMessage()).then(Mono.error(e)));
    }

    /** Console only in a DEPLOYED range (as VM actions), on a VM that exists and runs. */
    static void requireConsole(RangeView range, String vm) {
        RangeView.Vm found = range.vms() == null ? null : range.vms().stream()
                .filter(candidate -> candidate.name().equals(vm)).findFirst().orElse(null);
        if (found == null) {
            throw new NotFoundException("no VM " + vm + " in range " + range.rangeId());
        }
        if (range.status() != RangeStatus.DEPLOYED) {
            throw new ConflictException("range " + range.rangeId() + " is " + range.status()
                    + ": consoles open only in a DEPLOYED range");
        }
        if (!"RUNNING".equals(found.status())) {
            throw new ConflictException("VM " + vm + " is " + found.status() + ": start it to open its console");
        }
    }

    /** A refusal as problem+json; anything else is passed on as an error. */
    static Mono<Void> refuse(ServerWebExchange exchange, Throwable e, ObjectMapper json) {
        ProblemDetail problem = problemOf(e);
        if (problem == null) {
            return Mono.error(e);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        try {
            byte[] body = json.writeValueAsBytes(problem);
            return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
        } catch (JsonProcessingException unexpected) {
            return Mono.error(unexpected);
        }
    }

    /** The answer the rest of the API gives for the same refusal (ProblemHandlers); null: not a refusal. */
    static ProblemDetail problemOf(Throwable e) {
        if (e instanceof NotFoundException) {
            return ProblemHandlers.problem(HttpStatus.NOT_FOUND, "not found", e.getMessage());
        } else if (e instanceof ForbiddenException) {
            return ProblemHandlers.problem(HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
        } else if (e instanceof ConflictException) {
            return ProblemHandlers.problem(HttpStatus.CONFLICT, "conflict", e.getMessage());
        } else if (e instanceof UnavailableException) {
            return ProblemHandlers.problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", e.getMessage());
        } else if (e instanceof ResponseStatusException status) {
            return ProblemHandlers.problem(status.getStatusCode(), title(status.getStatusCode()),
                    status.getReason());
        }
        return null;
    }

    private static String title(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "error" : known.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
    }
}

package io.cyroid.api.console;

import io.cyroid.messages.CloseConsole;
import io.cyroid.messages.OpenConsole;
import java.time.Duration;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/**
 * Every console session in the audit trail: recorded (ConsoleOpened) before the upgrade, so a console that cannot be
 * recorded is not opened, and its end (ConsoleClosed, with how it ended) once the socket is gone. The commands carry
 * the console's user as {@code user}, as every API command does, so the audit log names them.
 */
final class ConsoleAudit {

    static final String TERMINAL = "terminal";
    static final String VNC = "vnc";
    private static final Logger log = LoggerFactory.getLogger(ConsoleAudit.class);
    /** How long to wait, after the handler ended, for the socket to say how it closed. */
    private static final Duration CLOSE_STATUS_WAIT = Duration.ofSeconds(2);

    private final CommandGateway commands;
    private final Supplier<String> ids;

    ConsoleAudit(CommandGateway commands, Supplier<String> ids) {
        this.commands = commands;
        this.ids = ids;
    }

    /** Records the opening; answers the console's id. */
    Mono<String> open(ConsoleTarget target, String kind) {
        String consoleId = ids.get();
        return Mono.fromFuture(() -> commands.send(new OpenConsole(consoleId, target.rangeId(), target.vm(), kind,
                target.user()), MetaData.with("user", target.user()))).thenReturn(consoleId);
    }

    /** The console, then its end recorded with the close status (whatever ended it: client, idle, server, VM). */
    Mono<Void> audited(String consoleId, ConsoleTarget target, WebSocketSession session, Mono<Void> console) {
        return console
                .then(Mono.defer(() -> session.closeStatus().timeout(CLOSE_STATUS_WAIT, Mono.empty())))
                .map(ConsoleAudit::reason)
                .defaultIfEmpty("ended")
                .flatMap(reason -> close(consoleId, target, reason))
                .onErrorResume(e -> close(consoleId, target, "failed: " + e.getMessage()).then(Mono.error(e)));
    }

    /** Records the end; a failure to record is logged, never the console's own error. */
    Mono<Void> close(String consoleId, ConsoleTarget target, String reason) {
        return Mono.fromFuture(() -> commands.send(new CloseConsole(consoleId, reason),
                        MetaData.with("user", target.user())))
                .then()
                .onErrorResume(e -> {
                    log.warn("console {} of {} on VM {} of range {}: its end was not recorded: {}", consoleId,
                            target.user(), target.vm(), target.rangeId(), e.toString());
                    return Mono.empty();
                });
    }

    static String reason(CloseStatus status) {
        String words = status.getReason() == null || status.getReason().isBlank() ? "" : ": " + status.getReason();
        return switch (status.getCode()) {
            case 1000 -> "closed" + words;
            case 1001 -> "client left" + words;
            case 1006 -> "connection lost" + words;
            default -> "closed with code " + status.getCode() + words;
        };
    }
}

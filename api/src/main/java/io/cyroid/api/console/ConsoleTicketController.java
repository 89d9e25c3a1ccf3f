package io.cyroid.api.console;

import io.cyroid.api.InvalidRequestException;
import io.cyroid.api.StrictBody;
import io.cyroid.api.range.RangeController;
import io.cyroid.blueprint.Violation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/ranges/{id}/vms/{vm}/console-tickets}: a one-time ticket for the console WebSocket, after the
 * checks the console itself makes (403 a user who may not use the range, 404 no such range or VM, 409 not DEPLOYED
 * or not RUNNING), so that the page learns of a refusal from an HTTP answer with a detail, not a closed socket.
 */
@RestController
public class ConsoleTicketController {

    private final RangeController ranges;
    private final ConsoleTickets tickets;
    private final ObjectMapper json;

    public ConsoleTicketController(RangeController ranges, ConsoleTickets tickets, ObjectMapper json) {
        this.ranges = ranges;
        this.tickets = tickets;
        this.json = json;
    }

    public record TicketRequest(String type) {
    }

    /** {@code url}: the WebSocket path with the ticket, relative to the server (ws: or wss: as the page is). */
    public record Ticket(String ticket, String type, Instant expiresAt, String url) {
    }

    @Operation(summary = "A one-time console ticket (default 30 s) for a page's WebSocket, which cannot send an"
            + " Authorization header: open url (…/console?ticket= or …/vnc?ticket=) with it. Body optional:"
            + " {\"type\": \"terminal\" (default) or \"vnc\"}.")
    @PostMapping(path = "/api/v1/ranges/{id}/vms/{vm}/console-tickets", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<Ticket> issue(@PathVariable String id, @PathVariable String vm,
                              @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                      schema = @Schema(implementation = TicketRequest.class)))
                              @RequestBody(required = false) JsonNode body, Principal user) {
        String type;
        try {
            type = type(body);
        } catch (InvalidRequestException e) {
            return Mono.error(e);
        }
        return ranges.usable(id, user)
                .doOnNext(range -> {
                    if (ConsoleTickets.VNC.equals(type)) {
                        VncEndpoint.requireVnc(range, vm); // 409 for a VM without a graphical console
                    } else {
                        ConsoleEndpoint.requireConsole(range, vm);
                    }
                })
                .then(Mono.defer(() -> tickets.issue(grant(user, id, vm, type))))
                .map(issued -> new Ticket(issued.ticket(), type, issued.expiresAt(), url(id, vm, type,
                        issued.ticket())));
    }

    static ConsoleTickets.Grant grant(Principal user, String rangeId, String vm, String type) {
        List<String> roles = user instanceof Authentication signedIn ? signedIn.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).toList() : List.of();
        return new ConsoleTickets.Grant(user.getName(), rangeId, vm, type, roles,
                user instanceof AbstractOAuth2TokenAuthenticationToken<?>);
    }

    private String type(JsonNode body) {
        if (body == null || body.isNull()) {
            return ConsoleTickets.TERMINAL;
        }
        String type = StrictBody.read(body, TicketRequest.class, json, "the ticket request").type();
        if (type == null) {
            return ConsoleTickets.TERMINAL;
        }
        if (!type.equals(ConsoleTickets.TERMINAL) && !type.equals(ConsoleTickets.VNC)) {
            throw new InvalidRequestException("the ticket request is invalid",
                    List.of(new Violation("type", "must be \"terminal\" or \"vnc\"")));
        }
        return type;
    }

    static String url(String rangeId, String vm, String type, String ticket) {
        return "/api/v1/ranges/" + UriUtils.encodePathSegment(rangeId, StandardCharsets.UTF_8) + "/vms/"
                + UriUtils.encodePathSegment(vm, StandardCharsets.UTF_8) + "/"
                + (ConsoleTickets.VNC.equals(type) ? "vnc" : "console") + "?ticket=" + ticket;
    }
}

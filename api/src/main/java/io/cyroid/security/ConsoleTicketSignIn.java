package io.cyroid.security;

import io.cyroid.api.console.ConsoleTickets;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Signs in the WebSocket upgrade of a console with {@code ?ticket=} (ConsoleTickets), on the console paths only:
 * {@code /api/v1/ranges/{id}/vms/{vm}/console} for a terminal ticket, {@code .../vnc} for a vnc ticket. The ticket
 * is used up, then must name this path's range and VM and this type; the user gets their current roles (a removed
 * user's ticket fails). Anything else: 401. On any other path a ticket is not even looked up.
 */
final class ConsoleTicketSignIn {

    static final String PARAMETER = "ticket";
    private static final PathPattern TERMINAL = PathPatternParser.defaultInstance
            .parse("/api/v1/ranges/{id}/vms/{vm}/console");
    private static final PathPattern VNC = PathPatternParser.defaultInstance.parse("/api/v1/ranges/{id}/vms/{vm}/vnc");

    private ConsoleTicketSignIn() {
    }

    /** The ticket and the console the request asks for; never printed (no toString with the secret). */
    static final class TicketToken extends AbstractAuthenticationToken {
        private final transient String ticket;
        private final String rangeId;
        private final String vm;
        private final String type;

        TicketToken(String ticket, String rangeId, String vm, String type) {
            super(List.of());
            this.ticket = ticket;
            this.rangeId = rangeId;
            this.vm = vm;
            this.type = type;
        }

        @Override
        public Object getCredentials() {
            return null;
        }

        @Override
        public Object getPrincipal() {
            return null;
        }

        @Override
        public String toString() {
            return "console ticket for " + type + " of range " + rangeId + " VM " + vm;
        }
    }

    static AuthenticationWebFilter filter(ConsoleTickets tickets, CurrentUsers users) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager(tickets, users));
        filter.setRequiresAuthenticationMatcher(exchange -> token(exchange) == null
                ? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match());
        filter.setServerAuthenticationConverter(exchange -> Mono.justOrEmpty(token(exchange)));
        filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler((exchange, e) ->
                ProblemAnswers.write(exchange, HttpStatus.UNAUTHORIZED,
                        "the console ticket is wrong, used or expired: ask for a new one")));
        return filter;
    }

    /** The ticket request of a console path with ?ticket=, else null. */
    static TicketToken token(ServerWebExchange exchange) {
        String ticket = exchange.getRequest().getQueryParams().getFirst(PARAMETER);
        if (ticket == null) {
            return null;
        }
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        PathPattern.PathMatchInfo terminal = TERMINAL.matchAndExtract(path);
        PathPattern.PathMatchInfo vnc = terminal == null ? VNC.matchAndExtract(path) : null;
        if (terminal == null && vnc == null) {
            return null;
        }
        Map<String, String> variables = (terminal != null ? terminal : vnc).getUriVariables();
        return new TicketToken(ticket, variables.get("id"), variables.get("vm"),
                terminal != null ? ConsoleTickets.TERMINAL : ConsoleTickets.VNC);
    }

    static ReactiveAuthenticationManager manager(ConsoleTickets tickets, CurrentUsers users) {
        return authentication -> {
            TicketToken asked = (TicketToken) authentication;
            return tickets.redeem(asked.ticket)
                    .filter(grant -> grant.rangeId().equals(asked.rangeId) && grant.vm().equals(asked.vm)
                            && grant.type().equals(asked.type))
                    .flatMap(grant -> roles(grant, users).map(roles -> (org.springframework.security.core
                            .Authentication) UsernamePasswordAuthenticationToken.authenticated(grant.user(), null,
                            roles.stream().map(SimpleGrantedAuthority::new).toList())))
                    .switchIfEmpty(Mono.error(() -> new BadCredentialsException("no such console ticket")));
        };
    }

    /** The account's roles now; a bearer-token user has no account here: the roles their token had at issue. */
    private static Mono<List<String>> roles(ConsoleTickets.Grant grant, CurrentUsers users) {
        Mono<List<String>> current = users.find(grant.user()).map(UserDetails::getAuthorities)
                .map(authorities -> authorities.stream().map(Object::toString).toList());
        return grant.bearer() ? current.switchIfEmpty(Mono.just(grant.roles())) : current;
    }
}

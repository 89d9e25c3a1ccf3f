package io.cyroid.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Spring Security's 401 and 403 as application/problem+json, like every other refusal of the API (its own answer
 * has no body). Written here, in the filter chain: no controller advice sees these. The 401 still asks for Basic,
 * except of a script that says so with {@code X-Requested-With: XMLHttpRequest} (the web UI signs in by itself).
 */
final class ProblemAnswers {

    /** The realm Spring Security's own entry point names: clients that parse it see no change. */
    static final String CHALLENGE = "Basic realm=\"Realm\"";
    static final String REQUESTED_WITH = "X-Requested-With";
    static final String SCRIPT = "XMLHttpRequest";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemAnswers() {
    }

    static ServerAuthenticationEntryPoint unauthorized() {
        return (exchange, e) -> {
            // a script's request (the web UI) gets no challenge: the browser would answer it with its own dialog
            if (!SCRIPT.equals(exchange.getRequest().getHeaders().getFirst(REQUESTED_WITH))) {
                exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
            }
            return write(exchange, HttpStatus.UNAUTHORIZED, "HTTP Basic credentials are required: none or wrong");
        };
    }

    static ServerAccessDeniedHandler forbidden() {
        return (exchange, e) -> write(exchange, HttpStatus.FORBIDDEN, "the signed-in user may not do this");
    }

    static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase().toLowerCase(Locale.ROOT));
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", exchange.getRequest().getPath().value());
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        try {
            byte[] body = JSON.writeValueAsBytes(problem);
            return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
    }
}

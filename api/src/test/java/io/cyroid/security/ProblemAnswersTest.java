package io.cyroid.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;

/**
 * Spring Security's refusals as problems. The 401 is also checked through the API (ApiConventionsTest); the 403 is
 * not reachable there yet (one user, every right), so it is checked here.
 */
class ProblemAnswersTest {

    final ObjectMapper json = new ObjectMapper();

    JsonNode body(MockServerWebExchange exchange) throws Exception {
        return json.readTree(exchange.getResponse().getBodyAsString().block());
    }

    @Test
    void aForbiddenRequestIsAProblem() throws Exception {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/admin/x"));

        ProblemAnswers.forbidden().handle(exchange, new AccessDeniedException("no")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = body(exchange);
        assertThat(problem.path("status").asInt()).isEqualTo(403);
        assertThat(problem.path("title").asText()).isEqualTo("forbidden");
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("instance").asText()).isEqualTo("/api/v1/admin/x");
    }

    @Test
    void anUnauthenticatedRequestIsAProblemThatAsksForBasic() throws Exception {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/ranges"));

        ProblemAnswers.unauthorized().commence(exchange, new BadCredentialsException("wrong")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                .isEqualTo("Basic realm=\"Realm\"");
        assertThat(body(exchange).path("status").asInt()).isEqualTo(401);
    }

    @Test
    void aScriptsUnauthenticatedRequestIsAProblemWithoutAChallenge() throws Exception {
        // the web UI signs in by itself: a challenge would make the browser show its own password dialog
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/ranges")
                .header("X-Requested-With", "XMLHttpRequest"));

        ProblemAnswers.unauthorized().commence(exchange, new BadCredentialsException("wrong")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().containsKey(HttpHeaders.WWW_AUTHENTICATE)).isFalse();
        assertThat(body(exchange).path("status").asInt()).isEqualTo(401);
    }
}

package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** The answer to a bug: a problem that names the exception's class and the request, never its message. */
class FallbackProblemsTest {

    @Test
    void anUnexpectedExceptionIsA500ProblemWithoutItsMessage() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/ranges"));

        ProblemDetail problem = new FallbackProblems().unexpected(
                new IllegalStateException("jdbc:postgresql://db.internal/secret"), exchange);

        assertThat(problem.getStatus()).isEqualTo(500);
        assertThat(problem.getTitle()).isEqualTo("internal server error");
        assertThat(problem.getDetail()).contains("IllegalStateException", exchange.getRequest().getId())
                .doesNotContain("db.internal");
    }
}

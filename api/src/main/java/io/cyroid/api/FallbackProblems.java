package io.cyroid.api;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * The refusals Spring makes itself, before or around a controller (no such path, wrong method, unsupported or
 * unacceptable media type, a body over the codec's limit), and anything unexpected: application/problem+json like
 * the refusals of {@link ProblemHandlers}, which is asked first. Without this, WebFlux answers them with its own
 * JSON error attributes, or a 500 for a body over the limit.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class FallbackProblems {

    private static final Logger log = LoggerFactory.getLogger(FallbackProblems.class);

    /** 404 for an unknown path, 405, 406, 415, and whatever else Spring refuses with a status of its own. */
    @ExceptionHandler({ResponseStatusException.class, ErrorResponseException.class})
    ResponseEntity<ProblemDetail> refused(Exception e, ServerWebExchange exchange) {
        ErrorResponse error = (ErrorResponse) e;
        HttpStatusCode status = error.getStatusCode();
        String detail = status.value() == HttpStatus.NOT_FOUND.value()
                ? "nothing at " + exchange.getRequest().getPath().value()
                : error.getBody().getDetail() != null ? error.getBody().getDetail() : e.getMessage();
        ProblemDetail problem = ProblemHandlers.problem(status, title(status), detail);
        // Allow (405) and Accept (415) tell the client what would have worked
        return ResponseEntity.status(status).headers(error.getHeaders()).body(problem);
    }

    /** The body is over spring.codec.max-in-memory-size: the codec stops reading it there. */
    @ExceptionHandler(DataBufferLimitException.class)
    static ProblemDetail tooLarge(DataBufferLimitException e) {
        return ProblemHandlers.problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload too large",
                "the request body is over the limit (" + e.getMessage() + ")");
    }

    /** A bug or an outage: logged in full here, only named in the answer. */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, ServerWebExchange exchange) {
        log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), e);
        return ProblemHandlers.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal server error",
                "an unexpected error (" + e.getClass().getSimpleName() + "); the server log has the details,"
                        + " request " + exchange.getRequest().getId());
    }

    static String title(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "error " + status.value() : known.getReasonPhrase().toLowerCase(Locale.ROOT);
    }
}

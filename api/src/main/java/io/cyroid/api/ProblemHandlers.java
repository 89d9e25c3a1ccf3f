package io.cyroid.api;

import io.cyroid.blueprint.BlueprintParseException;
import io.cyroid.blueprint.Violation;
import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.UnknownVmException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** Every refusal as application/problem+json, naming the offending fields under {@code errors}. */
@RestControllerAdvice
public class ProblemHandlers {

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return invalid(e.getMessage(), e.violations());
    }

    @ExceptionHandler(BlueprintParseException.class)
    ProblemDetail unreadable(BlueprintParseException e) {
        return invalid("the blueprint cannot be read", List.of(new Violation(e.field(), e.getMessage())));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ProblemDetail unreadableBody(ServerWebInputException e) {
        return invalid("the request body cannot be read", List.of(new Violation("body", e.getReason())));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not found", e.getMessage());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail noSuchRange(AggregateNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not found", "no range " + e.getAggregateIdentifier());
    }

    @ExceptionHandler(UnknownVmException.class)
    ProblemDetail noSuchVm(UnknownVmException e) {
        return problem(HttpStatus.NOT_FOUND, "not found", e.getMessage());
    }

    @ExceptionHandler({IllegalTransitionException.class, ConflictException.class})
    ProblemDetail conflict(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, "conflict", e.getMessage());
    }

    @ExceptionHandler(UnavailableException.class)
    ProblemDetail unavailable(UnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", e.getMessage());
    }

    /** A command the aggregate refuses as malformed (checked again there, whatever the API checked before). */
    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail refusedCommand(IllegalArgumentException e) {
        return invalid("the command was refused", List.of(new Violation("body", e.getMessage())));
    }

    static ProblemDetail invalid(String detail, List<Violation> violations) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid request", detail + ": "
                + String.join("; ", violations.stream().map(Violation::toString).toList()));
        problem.setProperty("errors", violations.stream()
                .map(v -> Map.of("field", v.field(), "message", v.message())).toList());
        return problem;
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}

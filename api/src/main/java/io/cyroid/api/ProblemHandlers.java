package io.cyroid.api;

import io.cyroid.blueprint.BlueprintParseException;
import io.cyroid.blueprint.Violation;
import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.UnknownVmException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebInputException;

/**
 * Every refusal as application/problem+json, naming the offending fields under {@code errors}. Asked before
 * {@link FallbackProblems}, which answers what no handler here knows.
 */
@RestControllerAdvice
@Order(0)
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
        if (e.getMostSpecificCause() instanceof DataBufferLimitException tooLarge) {
            return FallbackProblems.tooLarge(tooLarge);
        }
        String field = fieldOf(e);
        return invalid("body".equals(field) ? "the request body cannot be read" : "the request cannot be read",
                List.of(new Violation(field, e.getReason())));
    }

    /** The parameter or header a request failed on (a query flag that is no boolean), else the body. */
    static String fieldOf(ServerWebInputException e) {
        if (e instanceof MissingRequestValueException missing) {
            return missing.getName();
        }
        MethodParameter parameter = e.getMethodParameter();
        if (parameter == null || parameter.hasParameterAnnotation(RequestBody.class)) {
            return "body";
        }
        return Stream.of(RequestParam.class, PathVariable.class, RequestHeader.class)
                .map(parameter::getParameterAnnotation).filter(Objects::nonNull)
                .flatMap(annotation -> Stream.of("name", "value").map(a -> AnnotationUtils.getValue(annotation, a)))
                .filter(name -> name instanceof String text && !text.isEmpty()).map(String.class::cast)
                .findFirst().orElse(parameter.getParameterName() == null ? "body" : parameter.getParameterName());
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

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", e.getMessage());
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

    public static ProblemDetail problem(HttpStatusCode status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}

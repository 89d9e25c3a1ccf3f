package io.cyroid.api;

import io.cyroid.blueprint.Violation;
import java.util.List;

public class InvalidRequestException extends RuntimeException {
    private final List<Violation> violations;

    public InvalidRequestException(String message, List<Violation> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}

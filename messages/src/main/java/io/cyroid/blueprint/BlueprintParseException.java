package io.cyroid.blueprint;

/**
 * A blueprint text could not be read. {@code field} is a best-effort JSON path ({@code networks[0].subnett})
 * or {@code body} when the problem cannot be pinned to a field (malformed syntax, empty input).
 * The message is meant for the instructor, so it never carries Java class names.
 */
public class BlueprintParseException extends RuntimeException {

    private final String field;

    public BlueprintParseException(String field, String message) {
        this(field, message, null);
    }

    public BlueprintParseException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

package io.cyroid.api;

/** The caller is known, and this is not theirs to do: 403. */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}

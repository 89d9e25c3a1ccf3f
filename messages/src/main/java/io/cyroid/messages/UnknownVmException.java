package io.cyroid.messages;

/** A command names a VM that the range's blueprint does not have (404 at the API). */
public class UnknownVmException extends IllegalArgumentException {
    public UnknownVmException(String message) {
        super(message);
    }
}

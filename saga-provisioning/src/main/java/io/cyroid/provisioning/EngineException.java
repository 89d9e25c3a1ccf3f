package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

/** A provisioning step failed on the engine; the message is meant for the operator reading the range's history. */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}

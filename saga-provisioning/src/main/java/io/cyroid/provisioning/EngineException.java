package io.cyroid.provisioning;

/**
 * A step failed on the engine. The message is meant for the operator reading the range's history: the engine's own
 * words, without Java class names or host paths. {@code transientFailure}: the engine did not answer or timed out,
 * so the same step may succeed when tried again.
 */
public class EngineException extends RuntimeException {

    private final boolean transientFailure;

    public EngineException(String message) {
        this(message, false, null);
    }

    public EngineException(String message, Throwable cause) {
        this(message, false, cause);
    }

    public EngineException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}

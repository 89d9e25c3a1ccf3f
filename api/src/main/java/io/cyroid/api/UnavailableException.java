package io.cyroid.api;

/** The server cannot answer correctly yet (a read model still being rebuilt): 503, try again. */
public class UnavailableException extends RuntimeException {
    public UnavailableException(String message) {
        super(message);
    }
}

package io.cyroid.messages;

/** A command that the range's current state forbids (destroying twice, recording a VM on a destroyed range). */
public class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(String message) {
        super(message);
    }
}

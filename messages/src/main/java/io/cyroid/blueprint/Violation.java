package io.cyroid.blueprint;

/**
 * One broken rule of a blueprint. {@code field} is a JSON-path-like location ({@code networks[0].subnet},
 * {@code vms[1].interfaces[0].ip}) so an API or UI can attach the message to the exact input the user typed.
 */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}

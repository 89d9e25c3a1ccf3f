package io.cyroid.messages;

/** The account is closed: its name no longer signs in. It may be created again later. */
public record UserRemoved(String userId, String username, String removedBy) {
}

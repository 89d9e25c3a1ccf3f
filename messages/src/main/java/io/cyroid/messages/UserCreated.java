package io.cyroid.messages;

import org.axonframework.serialization.Revision;

import java.util.Set;

/** A user account, with its password's hash: the event store is where accounts live, like any other state. */
@Revision("1")
public record UserCreated(String userId, String username, String passwordHash, Set<Role> roles, String createdBy) {

    /** The aggregate id of a user name. */
    public static String idOf(String username) {
        return "user:" + username;
    }
}

package io.cyroid.messages;

import java.time.Instant;
import java.util.Set;

/** A user as the API shows it: never the password's hash. */
public record UserView(String username, Set<Role> roles, String createdBy, Instant createdAt) {
}

package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/** The account is closed: its name no longer signs in. It may be created again later. */
@Revision("1")
public record UserRemoved(String userId, String username, String removedBy) {
}

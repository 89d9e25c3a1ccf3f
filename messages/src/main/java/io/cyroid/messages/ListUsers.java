package io.cyroid.messages;

/** Query: every user, by name. */
public record ListUsers() {
}

package io.cyroid.messages;

/**
 * What a user may do. ADMIN: everything, users included. INSTRUCTOR: blueprints; deploy, destroy and operate their
 * own ranges and those shared with them. TRAINEE: see and use the ranges assigned to them. AUDITOR: read ranges and
 * the audit history, nothing else.
 */
public enum Role {
    ADMIN, INSTRUCTOR, TRAINEE, AUDITOR
}

package io.cyroid.messages;

/** What an instructor can do to one VM of a deployed range. */
public enum VmAction {
    START, STOP, RESTART, RESET
}

package io.cyroid.messages;

/** {@code stoppedBy} is the user who asked, or {@code system} when the VM stopped by itself. */
public record VmStopped(String rangeId, String vmName, String stoppedBy, String reason) implements RangeEvents {
}

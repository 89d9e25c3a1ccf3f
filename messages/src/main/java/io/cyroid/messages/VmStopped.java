package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/** {@code stoppedBy} is the user who asked, or {@code system} when the VM stopped by itself. */
@Revision("1")
public record VmStopped(String rangeId, String vmName, String stoppedBy, String reason) implements RangeEvents {
}

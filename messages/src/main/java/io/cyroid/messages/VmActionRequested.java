package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record VmActionRequested(String rangeId, String vmName, VmAction action, String requestedBy)
        implements RangeEvents {
}

package io.cyroid.messages;

public record VmActionRequested(String rangeId, String vmName, VmAction action, String requestedBy)
        implements RangeEvents {
}

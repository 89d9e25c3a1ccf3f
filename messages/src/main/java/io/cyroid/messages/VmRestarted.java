package io.cyroid.messages;

public record VmRestarted(String rangeId, String vmName, String containerId, String restartedBy)
        implements RangeEvents {
}

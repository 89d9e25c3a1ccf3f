package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record VmRestarted(String rangeId, String vmName, String containerId, String restartedBy)
        implements RangeEvents {
}

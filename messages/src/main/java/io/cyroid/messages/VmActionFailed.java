package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record VmActionFailed(String rangeId, String vmName, VmAction action, String reason) implements RangeEvents {
}

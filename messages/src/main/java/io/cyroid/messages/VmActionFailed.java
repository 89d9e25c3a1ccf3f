package io.cyroid.messages;

public record VmActionFailed(String rangeId, String vmName, VmAction action, String reason) implements RangeEvents {
}

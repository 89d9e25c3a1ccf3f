package io.cyroid.messages;

/** The VM was recreated from the blueprint snapshot, with the same addresses: a new container. */
public record VmReset(String rangeId, String vmName, String containerId, String resetBy) implements RangeEvents {
}

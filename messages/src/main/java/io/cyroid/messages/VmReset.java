package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/** The VM was recreated from the blueprint snapshot, with the same addresses: a new container. */
@Revision("1")
public record VmReset(String rangeId, String vmName, String containerId, String resetBy) implements RangeEvents {
}

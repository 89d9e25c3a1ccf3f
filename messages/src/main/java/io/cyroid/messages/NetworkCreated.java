package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record NetworkCreated(String rangeId, String name, String subnet, String gateway, String innerNetworkId)
        implements RangeEvents {
}

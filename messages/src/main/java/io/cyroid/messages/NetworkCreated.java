package io.cyroid.messages;

public record NetworkCreated(String rangeId, String name, String subnet, String gateway, String innerNetworkId)
        implements RangeEvents {
}

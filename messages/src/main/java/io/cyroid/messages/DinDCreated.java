package io.cyroid.messages;

/** The range's DinD container runs and its inner engine answers. */
public record DinDCreated(String rangeId, String containerId, String containerName, String mgmtIp,
                          String dockerHost) implements RangeEvents {
}

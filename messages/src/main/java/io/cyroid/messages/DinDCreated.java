package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/**
 * The range's DinD container runs and its inner engine answers. {@code engine}: the name of the host engine the DinD
 * runs on (with several Docker hosts, which one). Revision 2 renamed it from {@code dockerHost}; events stored
 * before are read through {@link io.cyroid.messages.upcasting.DinDCreatedEngineUpcaster}.
 */
@Revision("2")
public record DinDCreated(String rangeId, String containerId, String containerName, String mgmtIp,
                          String engine) implements RangeEvents {
}

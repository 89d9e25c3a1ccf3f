package io.cyroid.messages;

import io.cyroid.blueprint.InterfaceSpec;
import java.time.Instant;
import java.util.List;

/**
 * The read model of a range, as the API shows it. {@code version} is the sequence number of the range's last event
 * that the view reflects (0 for RangeRequested): it only grows, and it is the id of the view's SSE event.
 */
public record RangeView(String rangeId, String name, String blueprintId, RangeStatus status, Dind dind,
                        List<Network> networks, List<Vm> vms, String createdBy, Instant createdAt,
                        Instant deployedAt, Instant updatedAt, String failureReason, long version) {

    public record Dind(String containerName, String containerId, String mgmtIp, String dockerHost) {
    }

    public record Network(String name, String subnet, String gateway) {
    }

    public record Vm(String name, String status, List<InterfaceSpec> interfaces) {
    }
}

package io.cyroid.messages;

import io.cyroid.blueprint.ConsoleSpec;
import io.cyroid.blueprint.InterfaceSpec;
import java.time.Instant;
import java.util.List;

/**
 * The read model of a range, as the API shows it. {@code version} is the sequence number of the range's last event
 * that the view reflects (0 for RangeRequested): it only grows, and it is the id of the view's SSE event.
 * {@code statusReason}: why a range is DEGRADED. {@code blueprintVersion}: the version of blueprint {@code blueprintId}
 * it was deployed from (null for a range requested before blueprints had versions). {@code redeployOf}: the range
 * whose recorded snapshot this one deploys again; {@code redeployedAs}: the ranges that deployed this one's snapshot
 * again, oldest first. {@code assignees}: the users the range is assigned to (trainees) or shared with
 * (instructors); with its creator {@code createdBy}, who may see it besides admins and auditors.
 */
public record RangeView(String rangeId, String name, String blueprintId, RangeStatus status, Dind dind,
                        List<Network> networks, List<Vm> vms, String createdBy, Instant createdAt,
                        Instant deployedAt, Instant updatedAt, String failureReason, long version, String statusReason,
                        Integer blueprintVersion, String redeployOf, List<String> redeployedAs,
                        List<String> assignees) {

    public record Dind(String containerName, String containerId, String mgmtIp, String dockerHost) {
    }

    public record Network(String name, String subnet, String gateway) {
    }

    /**
     * {@code status}: PENDING, RUNNING, STOPPED or REMOVED. {@code pendingAction}: a VM action under way, if any.
     * {@code reason}: why the VM stopped, when it stopped by itself, or why its last action failed.
     * {@code console}: the graphical console its blueprint declares ({@code {"type":"vnc","port":5900}}), null when
     * it has the terminal console alone (and for ranges projected before consoles existed).
     */
    public record Vm(String name, String status, List<InterfaceSpec> interfaces, String pendingAction,
                     String reason, ConsoleSpec console) {

        /** A VM without a graphical console. */
        public Vm(String name, String status, List<InterfaceSpec> interfaces, String pendingAction, String reason) {
            this(name, status, interfaces, pendingAction, reason, null);
        }

        /** True if the VM serves a VNC console. */
        public boolean hasVnc() {
            return console != null && console.isVnc();
        }
    }
}

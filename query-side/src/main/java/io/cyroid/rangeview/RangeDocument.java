package io.cyroid.rangeview;

import io.cyroid.blueprint.ConsoleSpec;
import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.messages.RangeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** The stored read model of one range; mutable because projections update it in place. */
@Document(RangeDocument.COLLECTION)
public class RangeDocument {
    public static final String COLLECTION = "ranges";

    @Id
    public String rangeId;
    public String name;
    public String blueprintId;
    /** Null for a range requested before blueprints had versions. */
    public Integer blueprintVersion;
    public RangeStatus status;
    public Dind dind;
    public List<Network> networks = new ArrayList<>();
    public List<Vm> vms = new ArrayList<>();
    public String createdBy;
    public Instant createdAt;
    public Instant deployedAt;
    public Instant updatedAt;
    public String failureReason;
    /** Sequence number of the last event applied: an event at or below it is a re-delivery or a late replay. */
    public long version;
    /**
     * Position in the whole event store of the last event applied (the live read model only; null in documents
     * written before it was kept): the all-ranges stream's message id.
     */
    public Long position;
    /** Why the range is DEGRADED. */
    public String statusReason;
    /** The range whose recorded snapshot this one deploys again. */
    public String redeployOf;
    /** Users the range is assigned to (trainees) or shared with (instructors), in the order assigned. */
    public List<String> assignees = new ArrayList<>();
    /** The ranges that deployed this one's snapshot again, oldest first. */
    public List<String> redeployedAs = new ArrayList<>();

    public static class Dind {
        public String containerName;
        public String containerId;
        public String mgmtIp;
        public String dockerHost;
    }

    public static class Network {
        public String name;
        public String subnet;
        public String gateway;
    }

    public static class Vm {
        public String name;
        public String status;
        public List<InterfaceSpec> interfaces = new ArrayList<>();
        public String pendingAction;
        public String reason;
        /** From the blueprint snapshot; null in documents written before graphical consoles existed. */
        public ConsoleSpec console;
    }
}

package io.cyroid.rangeview;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static io.cyroid.blueprint.SampleBlueprints.DB_IPS;
import static io.cyroid.blueprint.SampleBlueprints.WEB_IPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.cyroid.messages.DeploymentStep;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.FindRange;
import io.cyroid.messages.ImagesSeeded;
import io.cyroid.messages.ListRanges;
import io.cyroid.messages.NetworkCreated;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeDestroyRequested;
import io.cyroid.messages.RangeDestroyed;
import io.cyroid.messages.RangeEvents;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import io.cyroid.messages.VmStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.GenericSubscriptionQueryMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryUpdateMessage;
import org.axonframework.queryhandling.UpdateHandlerRegistration;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * The range read model over an in-memory MongoDB-wire server. Events go through Axon's annotation adapter, as the
 * event processor delivers them, so the {@code @Timestamp} parameters are resolved from the event messages.
 */
class RangeProjectionTest {

    static final String RANGE = "range-1";
    static final String IMAGE = "cyroid/vm-busybox:latest";

    /** Millisecond instants: what MongoDB keeps of a date. */
    static final Instant T0 = Instant.parse("2025-03-03T09:00:00.000Z");

    MongoServer server;
    MongoClient client;
    MongoTemplate mongo;
    SimpleQueryUpdateEmitter emitter;
    RangeProjection projection;
    RangeQueries queries;
    AnnotationEventHandlerAdapter handler;
    /** The next sequence number of each range's event stream, as the aggregate would number them. */
    final Map<String, Long> sequences = new HashMap<>();

    @BeforeEach
    void setUp() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create(server.getConnectionString());
        mongo = new MongoTemplate(client, "cyroid");
        emitter = SimpleQueryUpdateEmitter.builder().build();
        projection = new RangeProjection(new StoredRangeDocuments(mongo, emitter));
        queries = new RangeQueries(mongo);
        handler = new AnnotationEventHandlerAdapter(projection);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.shutdownNow();
    }

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** The events of a successful deployment of {@link #CORP_LAN}, one second apart from {@code start}. */
    static List<Timed> deployment(String rangeId, String name, int start) {
        return List.of(
                new Timed(new RangeRequested(rangeId, name, "bp-1", CORP_LAN, "alice", 1), at(start)),
                new Timed(new DinDCreated(rangeId, "c0ffee", "cyroid-range-" + rangeId, "172.30.1.2", "local"),
                        at(start + 1)),
                new Timed(new NetworkCreated(rangeId, "lan", "10.0.1.0/24", "10.0.1.1", "net-lan"), at(start + 2)),
                new Timed(new NetworkCreated(rangeId, "dmz", "10.0.2.0/24", "10.0.2.1", "net-dmz"), at(start + 3)),
                new Timed(new ImagesSeeded(rangeId, List.of(IMAGE)), at(start + 4)),
                new Timed(new VmStarted(rangeId, "web", "vm-web", WEB_IPS), at(start + 5)),
                new Timed(new VmStarted(rangeId, "db", "vm-db", DB_IPS), at(start + 6)),
                new Timed(new RangeDeployed(rangeId), at(start + 7)));
    }

    record Timed(RangeEvents event, Instant at) {
    }

    /** Delivers the range's next event; returns its sequence number. */
    long handle(RangeEvents event, Instant at) {
        long sequence = sequences.merge(event.rangeId(), 1L, Long::sum) - 1;
        deliver(event, at, sequence);
        return sequence;
    }

    /** Delivers an event with a given sequence number: a re-delivery repeats the number it had. */
    void deliver(RangeEvents event, Instant at, long sequence) {
        try {
            handler.handle(new GenericDomainEventMessage<>("RangeAggregate", event.rangeId(), sequence, event,
                    Map.of(), UUID.randomUUID().toString(), at));
        } catch (Exception e) {
            throw new AssertionError("handling " + event + " failed", e);
        }
    }

    List<Long> handleAll(List<Timed> events) {
        return events.stream().map(t -> handle(t.event(), t.at())).toList();
    }

    RangeView find(String rangeId) {
        return queries.handle(new FindRange(rangeId));
    }

    Document stored(String rangeId) {
        return mongo.getCollection(RangeDocument.COLLECTION).find(new Document("_id", rangeId)).first();
    }

    List<RangeView> subscribe(String rangeId) {
        UpdateHandlerRegistration<RangeView> registration = emitter.registerUpdateHandler(
                new GenericSubscriptionQueryMessage<>(new FindRange(rangeId), ResponseTypes.instanceOf(RangeView.class),
                        ResponseTypes.instanceOf(RangeView.class)), 1024);
        List<RangeView> received = new CopyOnWriteArrayList<>();
        registration.getUpdates().map(SubscriptionQueryUpdateMessage::getPayload).subscribe(received::add);
        return received;
    }

    @Test
    void aRequestedRangeShowsItsBlueprintWithEveryVmPending() {
        handle(new RangeRequested(RANGE, "monday", "bp-1", CORP_LAN, "alice", 1), at(0));

        RangeView view = find(RANGE);
        assertThat(view.rangeId()).isEqualTo(RANGE);
        assertThat(view.name()).isEqualTo("monday");
        assertThat(view.blueprintId()).isEqualTo("bp-1");
        assertThat(view.status()).isEqualTo(RangeStatus.REQUESTED);
        assertThat(view.createdBy()).isEqualTo("alice");
        assertThat(view.createdAt()).isEqualTo(at(0));
        assertThat(view.updatedAt()).isEqualTo(at(0));
        assertThat(view.dind()).isNull();
        assertThat(view.deployedAt()).isNull();
        assertThat(view.networks()).containsExactly(new RangeView.Network("lan", "10.0.1.0/24", "10.0.1.1"),
                new RangeView.Network("dmz", "10.0.2.0/24", "10.0.2.1"));
        assertThat(view.vms()).containsExactly(new RangeView.Vm("web", "PENDING", WEB_IPS, null, null),
                new RangeView.Vm("db", "PENDING", DB_IPS, null, null));
    }

    @Test
    void aRangeIsProvisioningOnceItsDinDRuns() {
        handleAll(deployment(RANGE, "monday", 0).subList(0, 2));

        RangeView view = find(RANGE);
        assertThat(view.status()).isEqualTo(RangeStatus.PROVISIONING);
        assertThat(view.dind()).isEqualTo(new RangeView.Dind("cyroid-range-" + RANGE, "c0ffee", "172.30.1.2",
                "local"));
        assertThat(view.updatedAt()).isEqualTo(at(1));
        assertThat(view.vms()).extracting(RangeView.Vm::status).containsExactly("PENDING", "PENDING");
    }

    @Test
    void aDeployedRangeHasItsDinDAndEveryVmRunningAtItsAddresses() {
        handleAll(deployment(RANGE, "monday", 0));

        RangeView view = find(RANGE);
        assertThat(view.status()).isEqualTo(RangeStatus.DEPLOYED);
        assertThat(view.dind()).isEqualTo(new RangeView.Dind("cyroid-range-" + RANGE, "c0ffee", "172.30.1.2",
                "local"));
        assertThat(view.vms()).containsExactly(new RangeView.Vm("web", "RUNNING", WEB_IPS, null, null),
                new RangeView.Vm("db", "RUNNING", DB_IPS, null, null));
        assertThat(view.networks()).extracting(RangeView.Network::name).containsExactly("lan", "dmz");
        assertThat(view.createdAt()).isEqualTo(at(0));
        assertThat(view.deployedAt()).isEqualTo(at(7));
        assertThat(view.updatedAt()).isEqualTo(at(7));
        assertThat(view.failureReason()).isNull();
    }

    @Test
    void everyVmStartedIsNotYetDeployedTheRangeWaitsForItsRunningCheck() {
        handleAll(deployment(RANGE, "monday", 0).subList(0, 7)); // every VmStarted, no RangeDeployed yet

        RangeView view = find(RANGE);
        assertThat(view.status()).isEqualTo(RangeStatus.PROVISIONING);
        assertThat(view.deployedAt()).isNull();
        assertThat(view.vms()).extracting(RangeView.Vm::status).containsOnly("RUNNING");
    }

    @Test
    void aVmIsRunningOnlyOnceItsOwnStartIsRecorded() {
        handleAll(deployment(RANGE, "monday", 0).subList(0, 6)); // up to VmStarted web

        assertThat(find(RANGE).vms()).extracting(RangeView.Vm::name, RangeView.Vm::status)
                .containsExactly(tuple("web", "RUNNING"),
                        tuple("db", "PENDING"));
        assertThat(find(RANGE).status()).isEqualTo(RangeStatus.PROVISIONING);
    }

    @Test
    void aFailedDeploymentNamesTheStepAndTheReason() {
        handleAll(deployment(RANGE, "monday", 0).subList(0, 5));
        handle(new RangeDeploymentFailed(RANGE, DeploymentStep.START_VM, "no such image"), at(9));

        RangeView view = find(RANGE);
        assertThat(view.status()).isEqualTo(RangeStatus.FAILED);
        assertThat(view.failureReason()).isEqualTo("START_VM: no such image");
        assertThat(view.deployedAt()).isNull();
        assertThat(view.updatedAt()).isEqualTo(at(9));
    }

    @Test
    void aDestroyedRangeKeepsItsHistoryWithEveryVmRemoved() {
        handleAll(deployment(RANGE, "monday", 0));
        handle(new RangeDestroyRequested(RANGE, "bob"), at(20));
        assertThat(find(RANGE).status()).isEqualTo(RangeStatus.DESTROYING);

        handle(new DinDRemoved(RANGE, "c0ffee"), at(21));
        handle(new RangeDestroyed(RANGE), at(22));

        RangeView view = find(RANGE);
        assertThat(view.status()).isEqualTo(RangeStatus.DESTROYED);
        assertThat(view.vms()).extracting(RangeView.Vm::status).containsExactly("REMOVED", "REMOVED");
        assertThat(view.deployedAt()).isEqualTo(at(7));
        assertThat(view.updatedAt()).isEqualTo(at(22));
    }

    @Test
    void handlingEachEventTwiceLeavesTheSameDocument() {
        List<Timed> events = new ArrayList<>(deployment(RANGE, "monday", 0));
        events.add(new Timed(new RangeDestroyRequested(RANGE, "bob"), at(20)));
        events.add(new Timed(new DinDRemoved(RANGE, "c0ffee"), at(21)));
        events.add(new Timed(new RangeDestroyed(RANGE), at(22)));

        for (Timed timed : events) {
            long sequence = handle(timed.event(), timed.at());
            Document once = stored(RANGE);
            deliver(timed.event(), timed.at(), sequence);
            assertThat(stored(RANGE)).as("after %s twice", timed.event()).isEqualTo(once);
        }
    }

    @Test
    void redeliveringABatchOfEventsLeavesTheSameDocument() {
        List<Timed> events = deployment(RANGE, "monday", 0);
        List<Long> sequences = handleAll(events);
        Document once = stored(RANGE);

        // the processor crashed before storing its token: the batch comes again, with the same sequence numbers
        for (int i = 0; i < events.size(); i++) {
            deliver(events.get(i).event(), events.get(i).at(), sequences.get(i));
        }

        assertThat(stored(RANGE)).isEqualTo(once);
        assertThat(mongo.getCollection(RangeDocument.COLLECTION).countDocuments()).isEqualTo(1);
    }

    @Test
    void anOldEventDeliveredLateDoesNotTurnTheRangeBack() {
        handleAll(deployment(RANGE, "monday", 0));
        long destroyRequested = handle(new RangeDestroyRequested(RANGE, "bob"), at(20));

        deliver(new DinDCreated(RANGE, "c0ffee", "cyroid-range-" + RANGE, "172.30.1.2", "local"), at(1), 1);
        deliver(new RangeRequested(RANGE, "monday", "bp-1", CORP_LAN, "alice", 1), at(0), 0);

        RangeView view = find(RANGE);
        assertThat(view.status()).isEqualTo(RangeStatus.DESTROYING);
        assertThat(view.version()).isEqualTo(destroyRequested);
        assertThat(view.vms()).extracting(RangeView.Vm::status).containsOnly("RUNNING");
    }

    @Test
    void rangesAreListedNewestFirst() {
        handle(new RangeRequested("old", "old", "bp-1", CORP_LAN, "alice", 1), at(0));
        handle(new RangeRequested("newest", "newest", "bp-1", CORP_LAN, "alice", 1), at(60));
        handle(new RangeRequested("middle", "middle", "bp-1", CORP_LAN, "alice", 1), at(30));
        // a later change of the oldest range must not move it up: the order is by creation
        handle(new DinDCreated("old", "c1", "cyroid-range-old", "172.30.1.3", "local"), at(90));

        assertThat(queries.handle(new ListRanges())).extracting(RangeView::rangeId)
                .containsExactly("newest", "middle", "old");
    }

    @Test
    void noRangesAreListedBeforeAnyIsRequested() {
        assertThat(queries.handle(new ListRanges())).isEmpty();
    }

    @Test
    void anUnknownRangeIsNotFound() {
        handleAll(deployment(RANGE, "monday", 0));

        assertThat(find("no-such-range")).isNull();
    }

    @Test
    void eachChangeIsEmittedToTheSubscribersOfThatRangeOnly() {
        List<RangeView> ofRange = subscribe(RANGE);
        List<RangeView> ofOther = subscribe("other");

        List<Timed> events = deployment(RANGE, "monday", 0);
        handleAll(events);

        assertThat(ofRange).hasSize(events.size());
        assertThat(ofRange).extracting(RangeView::status).containsExactly(RangeStatus.REQUESTED,
                RangeStatus.PROVISIONING, RangeStatus.PROVISIONING, RangeStatus.PROVISIONING,
                RangeStatus.PROVISIONING, RangeStatus.PROVISIONING, RangeStatus.PROVISIONING, RangeStatus.DEPLOYED);
        assertThat(ofRange).extracting(RangeView::updatedAt)
                .containsExactlyElementsOf(events.stream().map(Timed::at).toList());
        assertThat(ofRange.get(ofRange.size() - 1)).isEqualTo(find(RANGE));
        assertThat(ofOther).isEmpty();
    }

    @Test
    void anEventForARangeThatWasNeverProjectedChangesNothingAndEmitsNothing() {
        List<RangeView> updates = subscribe(RANGE);

        handle(new DinDCreated(RANGE, "c0ffee", "cyroid-range-" + RANGE, "172.30.1.2", "local"), at(1));

        assertThat(find(RANGE)).isNull();
        assertThat(mongo.getCollection(RangeDocument.COLLECTION).countDocuments()).isZero();
        assertThat(updates).isEmpty();
    }
}

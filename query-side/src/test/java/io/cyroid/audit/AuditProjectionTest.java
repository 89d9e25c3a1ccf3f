package io.cyroid.audit;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.cyroid.messages.BlueprintRetired;
import io.cyroid.messages.ConsoleClosed;
import io.cyroid.messages.ConsoleOpened;
import io.cyroid.messages.DeploymentStep;
import io.cyroid.messages.DinDRemoved;
import io.cyroid.messages.OrphanRemoved;
import io.cyroid.messages.RangeDeploymentFailed;
import io.cyroid.messages.RangeRequested;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

/** The audit projection and the log's queries, over an in-memory MongoDB-wire server, through Axon's adapter. */
class AuditProjectionTest {

    static final Instant T0 = Instant.parse("2025-03-03T09:00:00.000Z");
    static final MetaData ALICE = MetaData.with("user", "alice").and("requestId", "req-1").and("traceId", "t-1")
            .and("client", "10.9.8.7");

    MongoServer server;
    MongoClient client;
    MongoTemplate mongo;
    AuditLog log;
    AnnotationEventHandlerAdapter handler;

    @BeforeEach
    void setUp() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create(server.getConnectionString());
        mongo = new MongoTemplate(client, "cyroid");
        log = new AuditLog(mongo);
        handler = new AnnotationEventHandlerAdapter(new AuditProjection(mongo));
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.shutdownNow();
    }

    EventMessage<?> rangeEvent(Object payload, String rangeId, long sequence, int second, MetaData metaData) {
        return new GenericDomainEventMessage<>("RangeAggregate", rangeId, sequence, payload, metaData,
                UUID.randomUUID().toString(), T0.plusSeconds(second));
    }

    void handle(EventMessage<?> event) {
        try {
            handler.handle(event);
        } catch (Exception e) {
            throw new AssertionError("handling " + event + " failed", e);
        }
    }

    @Test
    void aConsoleSessionIsFoundByItsRangeWithItsVmKindAndLength() {
        handle(rangeEvent(new RangeRequested("r-1", "monday", "bp-1", CORP_LAN, "alice", 1), "r-1", 0, 0, ALICE));
        MetaData tina = MetaData.with("user", "tina");
        handle(new GenericDomainEventMessage<>("ConsoleSessionAggregate", "c-1", 0,
                new ConsoleOpened("c-1", "r-1", "web", "terminal", "tina"), tina, "m-1", T0.plusSeconds(10)));
        handle(new GenericDomainEventMessage<>("ConsoleSessionAggregate", "c-1", 1,
                new ConsoleClosed("c-1", "r-1", "web", "terminal", "tina", "idle", 900), tina, "m-2",
                T0.plusSeconds(910)));

        assertThat(log.page(new AuditFilter(null, "r-1", null, null, null, null, null), 0, 10))
                .extracting(AuditEntry::action, AuditEntry::user, AuditEntry::blueprintId, AuditEntry::detail)
                .containsExactly(
                        tuple("ConsoleClosed", "tina", "bp-1", "terminal console on VM web after 900 s: idle"),
                        tuple("ConsoleOpened", "tina", "bp-1", "terminal console on VM web"),
                        tuple("RangeRequested", "alice", "bp-1", null));
    }

    @Test
    void everyEventIsOneEntryWithItsUserRequestAndBlueprint() {
        handle(rangeEvent(new RangeRequested("r-1", "monday", "bp-1", CORP_LAN, "alice", 1), "r-1", 0, 0, ALICE));
        handle(rangeEvent(new RangeDeploymentFailed("r-1", DeploymentStep.START_VM, "no such image: x:1"), "r-1", 1,
                5, ALICE));
        handle(rangeEvent(new DinDRemoved("r-1", "c0ffee", "volume v"), "r-1", 2, 6, ALICE));

        assertThat(log.page(AuditFilter.ALL, 0, 10))
                .extracting(AuditEntry::action, AuditEntry::rangeId, AuditEntry::blueprintId, AuditEntry::outcome,
                        AuditEntry::detail, AuditEntry::user, AuditEntry::correlationId, AuditEntry::client)
                .containsExactly(
                        tuple("DinDRemoved", "r-1", "bp-1", "OK", "leftovers: volume v", "alice", "req-1", "10.9.8.7"),
                        tuple("RangeDeploymentFailed", "r-1", "bp-1", "FAILED", "no such image: x:1", "alice", "req-1",
                                "10.9.8.7"),
                        tuple("RangeRequested", "r-1", "bp-1", "OK", null, "alice", "req-1", "10.9.8.7"));
        assertThat(log.page(AuditFilter.ALL, 0, 10)).allSatisfy(entry -> {
            assertThat(entry.kind()).isEqualTo(AuditEntry.EVENT);
            assertThat(entry.traceId()).isEqualTo("t-1");
            assertThat(entry.sequence()).isNotNull();
        });
    }

    @Test
    void aRedeliveredEventLeavesOneEntry() {
        EventMessage<?> event = rangeEvent(new RangeRequested("r-1", "monday", "bp-1", CORP_LAN, "alice", 1), "r-1", 0,
                0, ALICE);
        handle(event);
        handle(event);

        assertThat(log.count(AuditFilter.ALL)).isEqualTo(1);
    }

    /** An event type the projection does not know, as a later module may add. */
    record ExerciseScored(String rangeId, String team, int points) {
    }

    @Test
    void eventsOfAnyTypeAreEntriesWithTheFieldsTheyName() {
        handle(GenericEventMessage.asEventMessage(new OrphanRemoved("container", "abc", "cyroid-range-r-9", "r-9",
                "range unknown")).andMetaData(Map.of("user", "system")));
        handle(new GenericDomainEventMessage<>("BlueprintAggregate", "bp-7", 3, new BlueprintRetired("bp-7", 3, "bob"),
                MetaData.with("user", "bob")));
        handle(GenericEventMessage.asEventMessage(new ExerciseScored("r-9", "blue", 10)));

        assertThat(log.page(AuditFilter.ALL, 0, 10))
                .extracting(AuditEntry::action, AuditEntry::rangeId, AuditEntry::blueprintId, AuditEntry::user)
                .containsExactlyInAnyOrder(tuple("OrphanRemoved", "r-9", null, "system"),
                        tuple("BlueprintRetired", null, "bp-7", "bob"), tuple("ExerciseScored", "r-9", null, null));
    }

    @Test
    void aResetRemovesWhatTheEventsRebuildAndKeepsRefusedRequests() {
        handle(rangeEvent(new RangeRequested("r-1", "monday", "bp-1", CORP_LAN, "alice", 1), "r-1", 0, 0, ALICE));
        log.append(refused("mallory", T0.plusSeconds(1), 401));

        handler.prepareReset(null);

        assertThat(log.page(AuditFilter.ALL, 0, 10)).extracting(AuditEntry::kind, AuditEntry::user)
                .containsExactly(tuple(AuditEntry.REQUEST, "mallory"));
    }

    static AuditEntry refused(String user, Instant at, int status) {
        return new AuditEntry(UUID.randomUUID().toString(), AuditEntry.REQUEST, at, user, "DELETE /api/v1/ranges/r-1",
                "r-1", null, null, AuditEntry.REFUSED, status, null, null, "127.0.0.1", null);
    }

    @Test
    void theLogIsFilteredAndPagedNewestFirst() {
        for (int i = 0; i < 5; i++) {
            log.append(refused(i % 2 == 0 ? "alice" : "bob", T0.plusSeconds(i), 409));
        }
        AuditFilter alice = new AuditFilter("alice", null, null, null, null, null, null);
        AuditFilter window = new AuditFilter(null, "r-1", null, "DELETE /api/v1/ranges/r-1", "REFUSED",
                T0.plusSeconds(1), T0.plusSeconds(3));

        assertThat(log.count(alice)).isEqualTo(3);
        assertThat(log.page(alice, 0, 2)).extracting(AuditEntry::at).containsExactly(T0.plusSeconds(4),
                T0.plusSeconds(2));
        assertThat(log.page(alice, 1, 2)).extracting(AuditEntry::at).containsExactly(T0);
        assertThat(log.page(window, 0, 10)).extracting(AuditEntry::at).containsExactly(T0.plusSeconds(2),
                T0.plusSeconds(1));
        try (var all = log.all(window)) {
            assertThat(all.toList()).hasSize(2);
        }
        assertThat(log.count(new AuditFilter(null, null, null, null, "OK", null, null))).isZero();
    }

    @Test
    void nonRecordPayloadsAreStillLogged() {
        handle(GenericEventMessage.asEventMessage("a plain string event"));

        assertThat(log.page(AuditFilter.ALL, 0, 10)).extracting(AuditEntry::action).containsExactly("String");
        assertThat(List.of(log.count(AuditFilter.ALL))).containsExactly(1L);
    }
}

package io.cyroid.blueprintview;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.cyroid.blueprint.Blueprint;
import io.cyroid.messages.BlueprintEvents;
import io.cyroid.messages.BlueprintRegistered;
import io.cyroid.messages.BlueprintRetired;
import io.cyroid.messages.BlueprintRevised;
import io.cyroid.messages.BlueprintVersionView;
import io.cyroid.messages.BlueprintView;
import io.cyroid.messages.FindBlueprint;
import io.cyroid.messages.FindBlueprintByName;
import io.cyroid.messages.LegacyOrigin;
import io.cyroid.messages.ListBlueprintVersions;
import io.cyroid.messages.ListBlueprints;
import java.time.Instant;
import java.util.List;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

/** The blueprint read model over an in-memory MongoDB-wire server, events delivered through Axon's adapter. */
class BlueprintProjectionTest {

    static final Instant T0 = Instant.parse("2025-03-03T09:00:00.000Z");
    static final Blueprint V2 = new Blueprint("corp-lan-v2", CORP_LAN.networks(), CORP_LAN.vms().subList(0, 1),
            CORP_LAN.resources());

    MongoServer server;
    MongoClient client;
    MongoTemplate mongo;
    SimpleQueryUpdateEmitter emitter;
    BlueprintProjection projection;
    AnnotationEventHandlerAdapter handler;

    @BeforeEach
    void setUp() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create(server.getConnectionString());
        mongo = new MongoTemplate(client, "cyroid");
        emitter = SimpleQueryUpdateEmitter.builder().build();
        projection = new BlueprintProjection(mongo, emitter);
        handler = new AnnotationEventHandlerAdapter(projection);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.shutdownNow();
    }

    void deliver(BlueprintEvents event, int seconds, long sequence) {
        try {
            handler.handle(new GenericDomainEventMessage<>("BlueprintAggregate", event.blueprintId(), sequence,
                    event, Map.of(), UUID.randomUUID().toString(), T0.plusSeconds(seconds)));
        } catch (Exception e) {
            throw new AssertionError("handling " + event + " failed", e);
        }
    }

    BlueprintView find(String id) {
        return projection.handle(new FindBlueprint(id));
    }

    @Test
    void aRegisteredBlueprintIsVersionOneByItsAuthor() {
        deliver(new BlueprintRegistered("bp-1", 1, CORP_LAN, "alice", null), 0, 0);

        assertThat(find("bp-1")).isEqualTo(new BlueprintView("bp-1", "corp-lan", 1, "alice", T0, null, null, false,
                null, null, CORP_LAN, 0));
        assertThat(projection.handle(new FindBlueprintByName("corp-lan")).id()).isEqualTo("bp-1");
        assertThat(projection.handle(new ListBlueprintVersions("bp-1")))
                .containsExactly(new BlueprintVersionView(1, CORP_LAN, "alice", T0));
    }

    @Test
    void aRevisionIsTheNewCurrentVersionAndEveryVersionStaysReadable() {
        deliver(new BlueprintRegistered("bp-1", 1, CORP_LAN, "alice", null), 0, 0);
        deliver(new BlueprintRevised("bp-1", 2, V2, "bob"), 10, 1);

        BlueprintView view = find("bp-1");
        assertThat(view.version()).isEqualTo(2);
        assertThat(view.name()).isEqualTo("corp-lan-v2");
        assertThat(view.blueprint()).isEqualTo(V2);
        assertThat(view.createdBy()).isEqualTo("alice");
        assertThat(view.createdAt()).isEqualTo(T0);
        assertThat(view.revisedBy()).isEqualTo("bob");
        assertThat(view.revisedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(projection.handle(new FindBlueprintByName("corp-lan"))).as("the old name is free").isNull();
        assertThat(projection.handle(new ListBlueprintVersions("bp-1"))).containsExactly(
                new BlueprintVersionView(1, CORP_LAN, "alice", T0),
                new BlueprintVersionView(2, V2, "bob", T0.plusSeconds(10)));
    }

    @Test
    void aRetiredBlueprintIsListedOnlyWhenAskedFor() {
        deliver(new BlueprintRegistered("bp-1", 1, CORP_LAN, "alice", null), 0, 0);
        deliver(new BlueprintRegistered("bp-2", 1, V2, "alice", null), 1, 0);
        deliver(new BlueprintRetired("bp-1", 1, "carol"), 20, 1);

        BlueprintView retired = find("bp-1");
        assertThat(retired.retired()).isTrue();
        assertThat(retired.retiredBy()).isEqualTo("carol");
        assertThat(retired.retiredAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(projection.handle(new ListBlueprints(false))).extracting(BlueprintView::id)
                .containsExactly("bp-2");
        assertThat(projection.handle(new ListBlueprints(true))).extracting(BlueprintView::id)
                .containsExactly("bp-1", "bp-2");
        assertThat(projection.handle(new FindBlueprintByName("corp-lan")).id())
                .as("a retired blueprint keeps its name").isEqualTo("bp-1");
    }

    @Test
    void aBlueprintCarriedOverFromTheOldStoreShowsItsOriginalAuthorAndDate() {
        Instant long_ago = Instant.parse("2024-06-01T12:00:00Z");
        deliver(new BlueprintRegistered("bp-old", 1, CORP_LAN, "system", new LegacyOrigin("alice", long_ago)), 0,
                0);

        assertThat(find("bp-old").createdBy()).isEqualTo("alice");
        assertThat(find("bp-old").createdAt()).isEqualTo(long_ago);
        assertThat(projection.handle(new ListBlueprintVersions("bp-old")))
                .containsExactly(new BlueprintVersionView(1, CORP_LAN, "alice", long_ago));
    }

    @Test
    void aReDeliveredEventChangesNothing() {
        deliver(new BlueprintRegistered("bp-1", 1, CORP_LAN, "alice", null), 0, 0);
        deliver(new BlueprintRevised("bp-1", 2, V2, "bob"), 10, 1);
        BlueprintView before = find("bp-1");

        deliver(new BlueprintRegistered("bp-1", 1, CORP_LAN, "alice", null), 0, 0);
        deliver(new BlueprintRevised("bp-1", 2, V2, "bob"), 10, 1);

        assertThat(find("bp-1")).isEqualTo(before);
        assertThat(projection.handle(new ListBlueprintVersions("bp-1"))).hasSize(2);
    }

    @Test
    void aResetEmptiesTheReadModelForAReplay() {
        deliver(new BlueprintRegistered("bp-1", 1, CORP_LAN, "alice", null), 0, 0);

        projection.reset();

        assertThat(find("bp-1")).isNull();
        assertThat(projection.handle(new ListBlueprints(true))).isEmpty();
        assertThat(projection.handle(new ListBlueprintVersions("bp-1"))).isEmpty();
        // and the replay brings it back
        deliver(new BlueprintRegistered("bp-1", 1, CORP_LAN, "alice", null), 0, 0);
        assertThat(find("bp-1").version()).isEqualTo(1);
    }

    @Test
    void subscribersSeeEveryChangeOfTheirBlueprint() {
        UpdateHandlerRegistration<BlueprintView> registration = emitter.registerUpdateHandler(
                new GenericSubscriptionQueryMessage<>(new FindBlueprint("bp-1"),
                        ResponseTypes.instanceOf(BlueprintView.class), ResponseTypes.instanceOf(BlueprintView.class)),
                16);
        List<BlueprintView> received = new CopyOnWriteArrayList<>();
        registration.getUpdates().map(SubscriptionQueryUpdateMessage::getPayload).subscribe(received::add);

        deliver(new BlueprintRegistered("bp-1", 1, CORP_LAN, "alice", null), 0, 0);
        deliver(new BlueprintRegistered("bp-2", 1, V2, "alice", null), 0, 0);
        deliver(new BlueprintRetired("bp-1", 1, "carol"), 5, 1);

        assertThat(received).extracting(BlueprintView::id, BlueprintView::retired)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bp-1", false),
                        org.assertj.core.groups.Tuple.tuple("bp-1", true));
    }
}

package io.cyroid.messages.upcasting;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.messages.BlueprintEvents;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.OrphanRemoved;
import io.cyroid.messages.ProvisioningNodeStarted;
import io.cyroid.messages.RangeDeployed;
import io.cyroid.messages.RangeEvents;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

/** Stored events as they were written before their schema changed still load in the current form. */
class EventUpcastersTest {

    /** Like the server's (a Spring-built ObjectMapper): unknown fields are ignored, not refused. */
    final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).build();

    /** DinDCreated as the server wrote it before revisions: no revision, the host in {@code dockerHost}. */
    static final String OLD_DIND_CREATED = "{\"rangeId\":\"r-1\",\"containerId\":\"c0ffee\","
            + "\"containerName\":\"cyroid-range-r-1\",\"mgmtIp\":\"172.30.1.2\",\"dockerHost\":\"local\"}";

    @Test
    void everyEventCarriesARevision() {
        List<Class<?>> events = new ArrayList<>(List.of(RangeEvents.class.getPermittedSubclasses()));
        events.addAll(List.of(BlueprintEvents.class.getPermittedSubclasses()));
        events.addAll(List.of(OrphanRemoved.class, ProvisioningNodeStarted.class, io.cyroid.messages.UserCreated.class,
                io.cyroid.messages.UserRemoved.class));
        assertThat(events).hasSizeGreaterThan(20).allSatisfy(type ->
                assertThat(type.getAnnotation(Revision.class)).as(type.getSimpleName()).isNotNull());
        assertThat(DinDCreated.class.getAnnotation(Revision.class).value()).isEqualTo("2");
    }

    @Test
    void anEventStoredWithoutRevisionLoadsAsRevisionOne() {
        IntermediateEventRepresentation upcast = upcastOne(EventUpcasters.chain(),
                RangeDeployed.class.getName(), null, "{\"rangeId\":\"r-1\"}");

        assertThat(upcast.getType().getRevision()).isEqualTo("1");
        assertThat((Object) serializer.deserialize(upcast.getData())).isEqualTo(new RangeDeployed("r-1"));
    }

    @Test
    void anOldDinDCreatedLoadsWithItsHostInEngine() {
        for (String oldRevision : new String[] {null, "1"}) {
            IntermediateEventRepresentation upcast = upcastOne(EventUpcasters.chain(),
                    DinDCreated.class.getName(), oldRevision, OLD_DIND_CREATED);

            assertThat(upcast.getType().getRevision()).isEqualTo("2");
            assertThat((Object) serializer.deserialize(upcast.getData())).isEqualTo(
                    new DinDCreated("r-1", "c0ffee", "cyroid-range-r-1", "172.30.1.2", "local"));
        }
    }

    @Test
    void withoutTheUpcasterTheOldFormWouldLoseItsHost() {
        // control: the old JSON really needs the rename (Jackson ignores the unknown dockerHost and leaves engine null)
        IntermediateEventRepresentation raw = upcastOne(new InitialRevisionUpcaster(),
                DinDCreated.class.getName(), null, OLD_DIND_CREATED);

        assertThat(((DinDCreated) serializer.deserialize(raw.getData())).engine()).isNull();
    }

    @Test
    void theCurrentFormPassesUnchanged() {
        DinDCreated now = new DinDCreated("r-1", "c0ffee", "cyroid-range-r-1", "172.30.1.2", "engine-b");
        SerializedObject<String> stored = serializer.serialize(now, String.class);
        assertThat(stored.getType().getRevision()).isEqualTo("2");
        assertThat(stored.getData()).contains("\"engine\":\"engine-b\"").doesNotContain("dockerHost");

        IntermediateEventRepresentation upcast = upcastOne(EventUpcasters.chain(),
                DinDCreated.class.getName(), "2", stored.getData());

        assertThat((Object) serializer.deserialize(upcast.getData())).isEqualTo(now);
    }

    private IntermediateEventRepresentation upcastOne(EventUpcaster upcaster, String type, String revision,
                                                      String json) {
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>("RangeAggregate", "r-1", 1, "e-1",
                Instant.parse("2025-01-01T00:00:00Z"), type, revision, json.getBytes(StandardCharsets.UTF_8),
                serializer.serialize(MetaData.emptyInstance(), byte[].class).getData());
        List<IntermediateEventRepresentation> upcast = upcaster.upcast(
                Stream.of(new InitialEventRepresentation(entry, serializer))).toList();
        assertThat(upcast).hasSize(1);
        return upcast.get(0);
    }
}

package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.blueprint.ConsoleSpec;
import io.cyroid.messages.BlueprintRegistered;
import io.cyroid.messages.LegacyOrigin;
import io.cyroid.messages.RangeRequested;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** Events stored before a field was added must still load: the event store keeps them as they were written. */
class StoredHistoryTest {

    /** Like the server's: Axon's Jackson serializer on a Spring-built ObjectMapper (Java time types included). */
    final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(Jackson2ObjectMapperBuilder.json().build()).build();

    static final Blueprint CORP_LAN = sample();

    static Blueprint sample() {
        try {
            return BlueprintParser.fromYaml(new ClassPathResource("samples/corp-lan.yaml")
                    .getContentAsString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRangeRequestedOfBeforeBlueprintVersionsLoadsWithoutOne() {
        SerializedObject<String> now = serializer.serialize(
                new RangeRequested("r-1", "monday", "bp-1", CORP_LAN, "alice", 3), String.class);
        assertThat(now.getData()).contains("\"blueprintVersion\":3");
        String before = now.getData().replace(",\"blueprintVersion\":3", "");
        assertThat(before).doesNotContain("blueprintVersion");

        RangeRequested old = serializer.deserialize(new SimpleSerializedObject<>(before, String.class,
                now.getType()));

        assertThat(old).isEqualTo(new RangeRequested("r-1", "monday", "bp-1", CORP_LAN, "alice", null));
    }

    @Test
    void aVmConsoleRoundTripsAndAVmOfBeforeConsolesLoadsWithoutOne() {
        Blueprint desktop = BlueprintParser.fromYaml("""
                name: desk
                networks: [{name: lan, subnet: 10.0.5.0/24, gateway: 10.0.5.1}]
                vms:
                  - {name: d, image: "cyroid/vm-desktop:latest", interfaces: [{network: lan, ip: 10.0.5.10}],
                     console: {type: vnc}}
                  - {name: s, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.5.20}]}
                """);
        SerializedObject<String> stored = serializer.serialize(
                new RangeRequested("r-1", "monday", "bp-1", desktop, "alice", 1), String.class);
        assertThat(stored.getData()).contains("\"console\":{\"type\":\"vnc\",\"port\":5900}");
        RangeRequested back = serializer.deserialize(stored);
        assertThat(back.blueprint().vms().get(0).console()).isEqualTo(new ConsoleSpec("vnc", 5900));
        assertThat(back.blueprint().vms().get(1).console()).isNull();

        // a range requested before consoles existed: no console field anywhere in its stored form
        SerializedObject<String> before = serializer.serialize(
                new RangeRequested("r-2", "monday", "bp-1", CORP_LAN, "alice", 3), String.class);
        assertThat(before.getData()).doesNotContain("console");
        RangeRequested old = serializer.deserialize(before);
        assertThat(old.blueprint().vms()).allSatisfy(vm -> assertThat(vm.console()).isNull());
    }

    @Test
    void blueprintEventsRoundTrip() {
        BlueprintRegistered registered = new BlueprintRegistered("bp-1", 1, CORP_LAN, "system",
                new LegacyOrigin("alice", java.time.Instant.parse("2024-06-01T12:00:00Z")));
        SerializedObject<String> stored = serializer.serialize(registered, String.class);

        assertThat((Object) serializer.deserialize(stored)).isEqualTo(registered);
    }
}

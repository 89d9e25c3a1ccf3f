package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.blueprint.BlueprintParser;
import io.cyroid.messages.DinDCreated;
import io.cyroid.messages.RangeRequested;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * History written before DinDCreated's host field was renamed ({@code dockerHost} to {@code engine}, revision 2),
 * put into the event store's table as the old server wrote it: no revisions, the old field name. Through the
 * application's own wiring (the upcaster bean, the JDBC event store, the tracking processors, the aggregate), it
 * loads, projects, deploys on and is destroyed. The rows themselves stay as written.
 */
class UpcastHistoryTest extends WithoutEngine {

    @Autowired
    DataSource dataSource;
    @Autowired
    EventStore events;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;

    @Test
    void aRangeStoredBeforeDinDCreatedNamedItsEngineLoadsProjectsDeploysAndIsDestroyed() throws SQLException {
        String rangeId = "old-" + UUID.randomUUID();
        RangeRequested requested = new RangeRequested(rangeId, "of-before", "bp-old",
                BlueprintParser.fromYaml(sampleYaml("of-before")), "alice", null);
        insertOld(rangeId, 0, RangeRequested.class.getName(),
                serializer.serialize(requested, String.class).getData().replace(",\"blueprintVersion\":null", ""));
        insertOld(rangeId, 1, DinDCreated.class.getName(), "{\"rangeId\":\"" + rangeId + "\","
                + "\"containerId\":\"c0ffee\","
                + "\"containerName\":\"cyroid-range-old\",\"mgmtIp\":\"172.30.1.2\",\"dockerHost\":\"engine-a\"}");

        // (a) read directly: the current form, the host in engine
        List<? extends DomainEventMessage<?>> history = events.readEvents(rangeId).asStream().toList();
        assertThat(history).hasSize(2);
        assertThat(history.get(0).getPayload()).isEqualTo(requested);
        assertThat(((DinDCreated) history.get(1).getPayload()).engine()).isEqualTo("engine-a");

        // (b) the tracking processors and the aggregate read it too: the projection shows the host, the saga (whose
        // jobs read the snapshot from the old RangeRequested) deploys the range on, the aggregate accepts each step
        RangeView deployed = awaitStatus(rangeId, RangeStatus.DEPLOYED);
        assertThat(deployed.dind().dockerHost()).isEqualTo("engine-a");
        assertThat(deployed.vms()).extracting(RangeView.Vm::status).containsOnly("RUNNING");
        // the events endpoint shows the current field and, for its clients, the old name beside it
        api.get().uri("/api/v1/ranges/{id}/events", rangeId).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[1].type").isEqualTo("DinDCreated")
                .jsonPath("$[1].payload.engine").isEqualTo("engine-a")
                .jsonPath("$[1].payload.dockerHost").isEqualTo("engine-a");

        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        assertThat(awaitStatus(rangeId, RangeStatus.DESTROYED).dind().dockerHost()).isEqualTo("engine-a");

        // upcasting happens on every read; the stored row is untouched
        Stored old = stored(rangeId, 1);
        assertThat(old.revision()).isNull();
        assertThat(old.payload()).contains("\"dockerHost\":\"engine-a\"").doesNotContain("engine\"");
    }

    @Test
    void eventsWrittenNowCarryTheirRevision() throws SQLException {
        String blueprintId = register(sampleYaml("written-now"));
        String rangeId = deploy(Map.of("blueprintId", blueprintId, "name", "now")).expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody().rangeId();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);

        assertThat(stored(rangeId, 0).revision()).isEqualTo("1");
        Stored dind = stored(rangeId, 1);
        assertThat(dind.revision()).isEqualTo("2");
        assertThat(dind.payload()).contains("\"engine\":").doesNotContain("dockerHost");
        api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange().expectStatus().isAccepted();
        awaitStatus(rangeId, RangeStatus.DESTROYED);
    }

    private void insertOld(String rangeId, long sequence, String type, String json) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO DomainEventEntry (eventIdentifier, aggregateIdentifier, sequenceNumber, type, timeStamp,"
                        + " payloadType, payloadRevision, payload, metaData) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, rangeId);
            insert.setLong(3, sequence);
            insert.setString(4, "RangeAggregate");
            insert.setString(5, Instant.now().toString());
            insert.setString(6, type);
            insert.setBytes(7, json.getBytes(StandardCharsets.UTF_8));
            insert.setBytes(8, serializer.serialize(MetaData.with(AxonConfiguration.USER, "alice"), byte[].class)
                    .getData());
            insert.executeUpdate();
        }
    }

    record Stored(String revision, String payload) {
    }

    private Stored stored(String rangeId, long sequence) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT payloadRevision, payload FROM DomainEventEntry"
                        + " WHERE aggregateIdentifier = ? AND sequenceNumber = ?")) {
            select.setString(1, rangeId);
            select.setLong(2, sequence);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("event %s of %s", sequence, rangeId).isTrue();
                return new Stored(row.getString(1), new String(row.getBytes(2), StandardCharsets.UTF_8));
            }
        }
    }
}

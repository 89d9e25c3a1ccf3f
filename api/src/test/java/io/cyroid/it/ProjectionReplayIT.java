package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.cyroid.audit.AuditEntry;
import io.cyroid.blueprintview.BlueprintDocument;
import io.cyroid.blueprintview.BlueprintVersionDocument;
import io.cyroid.rangeview.RangeDocument;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.MediaType;

/**
 * A history on the real engine (blueprints registered, revised, retired; a range deployed whose VM is stopped and
 * started; a deploy that fails and its destroy; a refused request), then every read model replayed from the event
 * store: each must come back equal to what it was, whole document for whole document, and follow new events after.
 * Control: before each replay the read model is damaged behind the API's back, and the comparison must see it.
 */
class ProjectionReplayIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final Duration ACTION = Duration.ofSeconds(60);
    static final Duration REPLAY = Duration.ofSeconds(60);
    static final String MISSING = "cyroid/not-on-this-host:1";
    /** The API's largest page: the test checks that the whole log fits in it. */
    static final int AUDIT_PAGE = 500;

    /** The server's read store, only to damage a read model for the control. */
    @Autowired
    MongoTemplate mongo;

    @Test
    void everyReplayedReadModelEqualsTheLiveOneAndFollowsNewEventsAfter() {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-replay"));
        api.reviseBlueprint(blueprintId, sampleBlueprint("it-replay").replace("env: {ROLE: db}",
                "env: {ROLE: database}"));
        String deployed = api.requestRange(blueprintId, "replay-deployed");
        api.awaitStatus(deployed, "DEPLOYED", TIMEOUT);
        assertThat(api.vmAction(deployed, "web", "stop")).isEqualTo(202);
        api.awaitVm(deployed, "web", "STOPPED", ACTION);
        assertThat(api.vmAction(deployed, "web", "start")).isEqualTo(202);
        api.awaitVm(deployed, "web", "RUNNING", ACTION);

        String brokenId = api.registerBlueprint("""
                name: it-replay-missing-image
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                vms:
                  - {name: ghost, image: "%s", interfaces: [{network: lan, ip: 10.0.1.10}]}
                """.formatted(MISSING));
        String failed = api.requestRange(brokenId, "replay-failed");
        api.awaitStatus(failed, "FAILED", TIMEOUT);
        api.awaitEvent(failed, "DinDRemoved", TIMEOUT);
        api.retireBlueprint(brokenId);
        api.destroy(failed);
        api.awaitStatus(failed, "DESTROYED", TIMEOUT);

        api.web.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("blueprintId", blueprintId, "name", "")).exchange().expectStatus().isBadRequest();
        await().atMost(ACTION).until(() -> api.json(refusedDeploys()).get("total").asLong() == 1);

        for (String name : List.of("range-projection", "blueprint-projection", "audit-log")) {
            api.awaitCaughtUp(name, REPLAY);
            JsonNode live = capture(name, List.of(deployed, failed), List.of(blueprintId, brokenId));
            assertNonTrivial(name, live, deployed, blueprintId);
            damage(name, failed, brokenId);
            assertThat(capture(name, List.of(deployed, failed), List.of(blueprintId, brokenId)))
                    .as("control: the comparison sees a damaged %s", name).isNotEqualTo(live);

            JsonNode accepted = api.replay(name);
            assertThat(accepted.get("name").asText()).isEqualTo(name);
            api.awaitCaughtUp(name, REPLAY);
            JsonNode replayed = capture(name, List.of(deployed, failed), List.of(blueprintId, brokenId));

            assertThat(replayed).as("%s after its replay", name).isEqualTo(live);
        }
        assertThat(api.json(refusedDeploys()).get("total").asLong()).as("the refused request survives").isEqualTo(1);

        // live again: a new event reaches each read model
        api.destroy(deployed);
        api.awaitStatus(deployed, "DESTROYED", TIMEOUT);
        await().atMost(ACTION).until(() -> api.json("/api/v1/audit?action=RangeDestroyed&rangeId=" + deployed)
                .get("total").asLong() == 1);
        String later = api.registerBlueprint(sampleBlueprint("it-replay-later"));
        assertThat(api.json("/api/v1/blueprints/" + later).get("name").asText()).isEqualTo("it-replay-later");
        RealEngine.assertNothingLeft(deployed);
    }

    /** Everything the API shows of one read model, for the ranges and blueprints of the history. */
    private JsonNode capture(String projection, List<String> rangeIds, List<String> blueprintIds) {
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        switch (projection) {
            case "range-projection" -> {
                model.set("list", answer("/api/v1/ranges"));
                rangeIds.forEach(id -> model.set(id, answer("/api/v1/ranges/" + id)));
            }
            case "blueprint-projection" -> {
                model.set("list", answer("/api/v1/blueprints?includeRetired=true"));
                blueprintIds.forEach(id -> model.set(id, answer("/api/v1/blueprints/" + id)));
                blueprintIds.forEach(id -> model.set(id + "/versions", answer("/api/v1/blueprints/" + id
                        + "/versions")));
            }
            case "audit-log" -> model.set("log", answer("/api/v1/audit?size=" + AUDIT_PAGE));
            default -> throw new IllegalArgumentException(projection);
        }
        return model;
    }

    /** The body of a GET, or the status when it is not 200 (a damaged model may answer 404). */
    private JsonNode answer(String uri) {
        var result = api.web.get().uri(uri).exchange().expectBody(JsonNode.class).returnResult();
        return result.getStatus().value() == 200 ? result.getResponseBody()
                : JsonNodeFactory.instance.textNode("HTTP " + result.getStatus().value());
    }

    /** Edits the read model behind the API's back, as a bad restore or a hand edit would: the replay must repair it. */
    private void damage(String projection, String rangeId, String blueprintId) {
        switch (projection) {
            case "range-projection" -> mongo.updateFirst(Query.query(Criteria.where("_id").is(rangeId)),
                    Update.update("name", "edited by hand"), RangeDocument.COLLECTION);
            case "blueprint-projection" -> {
                mongo.updateFirst(Query.query(Criteria.where("_id").is(blueprintId)), Update.update("retired", false),
                        BlueprintDocument.COLLECTION);
                mongo.remove(Query.query(Criteria.where("blueprintId").is(blueprintId)),
                        BlueprintVersionDocument.COLLECTION);
            }
            case "audit-log" -> mongo.remove(Query.query(Criteria.where("action").is("VmStopped")),
                    AuditEntry.COLLECTION);
            default -> throw new IllegalArgumentException(projection);
        }
    }

    /** The control: an empty or half-built model would make the equality above say little. */
    private static void assertNonTrivial(String projection, JsonNode live, String deployed, String blueprintId) {
        live.fields().forEachRemaining(part -> assertThat(part.getValue().isTextual())
                .as("%s of %s answered 200: %s", part.getKey(), projection, part.getValue()).isFalse());
        switch (projection) {
            case "range-projection" -> {
                assertThat(live.get("list")).hasSize(2);
                assertThat(live.get("list")).extracting(range -> range.get("status").asText())
                        .containsExactlyInAnyOrder("DEPLOYED", "DESTROYED");
                assertThat(live.get(deployed).get("blueprintVersion").asInt()).as("deployed from the revision")
                        .isEqualTo(2);
                assertThat(live.get(deployed).get("vms").findValuesAsText("status")).containsOnly("RUNNING")
                        .hasSize(2);
                assertThat(live.toString()).contains(MISSING);
            }
            case "blueprint-projection" -> {
                assertThat(live.get("list")).hasSize(2);
                assertThat(live.get("list")).extracting(blueprint -> blueprint.get("retired").asBoolean())
                        .containsExactlyInAnyOrder(true, false);
                assertThat(live.get(blueprintId + "/versions")).hasSize(2);
                assertThat(live.get(blueprintId + "/versions").toString()).contains("database");
            }
            case "audit-log" -> {
                JsonNode log = live.get("log");
                long total = log.get("total").asLong();
                assertThat(total).as("whole log in one page").isLessThan(AUDIT_PAGE).isGreaterThan(20);
                assertThat(log.get("items")).hasSize((int) total);
                assertThat(log.get("items").findValuesAsText("kind")).contains("EVENT", "REQUEST");
                assertThat(log.get("items").findValuesAsText("action"))
                        .contains("BlueprintRevised", "BlueprintRetired", "VmStopped", "VmStarted",
                                "RangeDeploymentFailed", "RangeDestroyed", "POST /api/v1/ranges");
            }
            default -> throw new IllegalArgumentException(projection);
        }
    }

    private static String refusedDeploys() {
        return "/api/v1/audit?outcome=REFUSED&action=POST /api/v1/ranges";
    }
}

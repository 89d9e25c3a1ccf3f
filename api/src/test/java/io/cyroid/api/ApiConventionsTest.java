package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.messages.RangeStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The conventions every endpoint keeps (docs/architecture.md, "API conventions"): the OpenAPI description, open
 * without credentials; every refusal as application/problem+json, those Spring answers before any controller runs
 * included; times as ISO-8601 UTC.
 */
class ApiConventionsTest extends WithoutEngine {

    static final Set<String> DOMAIN_TAGS = Set.of("Ranges", "Blueprints", "Audit", "Pool", "Admin", "Users",
            "Health");
    static final Pattern ISO_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** Over spring.codec.max-in-memory-size (256 KiB). */
    static final int TOO_LARGE = 300 * 1024;

    @Autowired
    ObjectMapper json;

    @Autowired
    BuildProperties build;

    JsonNode apiDocs() throws Exception {
        String body = anonymous.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return json.readTree(body);
    }

    @Test
    void theOpenApiDescriptionIsOpenAndNamesTheProductItsVersionAndBasicAuth() throws Exception {
        JsonNode docs = apiDocs();

        assertThat(docs.at("/info/title").asText()).isEqualTo("Cyroid API");
        assertThat(docs.at("/info/version").asText()).isEqualTo(build.getVersion()).isNotEqualTo("v0")
                .matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(docs.at("/info/description").asText()).contains("cyber range");
        assertThat(docs.at("/components/securitySchemes/basicAuth/type").asText()).isEqualTo("http");
        assertThat(docs.at("/components/securitySchemes/basicAuth/scheme").asText()).isEqualTo("basic");
        assertThat(docs.at("/security/0").has("basicAuth")).as("Basic applied globally").isTrue();

        String yaml = anonymous.get().uri("/v3/api-docs.yaml").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(yaml).contains("title: Cyroid API", "scheme: basic");
        // Swagger UI, and the configuration it reads first, without credentials too
        anonymous.get().uri("/swagger-ui.html").exchange().expectStatus()
                .value(status -> assertThat(status).isBetween(200, 399));
        anonymous.get().uri("/v3/api-docs/swagger-config").exchange().expectStatus().isOk();
        // the control: the API itself is not open
        anonymous.get().uri("/api/v1/pool").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void everyOperationHasADomainTagASummaryAndProblemJsonErrors() throws Exception {
        JsonNode docs = apiDocs();
        List<String> operations = new ArrayList<>();
        docs.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!METHODS.contains(op.getKey())) {
                return;
            }
            String name = op.getKey().toUpperCase() + " " + path.getKey();
            operations.add(name);
            JsonNode operation = op.getValue();
            assertThat(operation.path("summary").asText()).as("summary of %s", name).isNotBlank();
            List<String> tags = new ArrayList<>();
            operation.path("tags").forEach(tag -> tags.add(tag.asText()));
            assertThat(tags).as("tags of %s", name).isNotEmpty().allMatch(DOMAIN_TAGS::contains);
            if (path.getKey().startsWith("/api/v1/")) {
                List<String> problems = new ArrayList<>();
                operation.path("responses").fields().forEachRemaining(response -> {
                    if (!response.getKey().matches("[45]\\d\\d")) {
                        return;
                    }
                    // an error is a problem and nothing else, whoever declared it
                    assertThat(response.getValue().path("content").fieldNames()).toIterable()
                            .as("%s of %s", response.getKey(), name).containsExactly("application/problem+json");
                    assertThat(response.getValue().at("/content/application~1problem+json/schema/$ref").asText())
                            .as("%s of %s", response.getKey(), name).isEqualTo("#/components/schemas/ProblemDetail");
                    problems.add(response.getKey());
                });
                assertThat(problems).as("problem+json errors of %s", name).contains("401", "500");
            }
        }));
        // the control: the checks above ran on the endpoints, not on an empty document
        assertThat(operations).contains("POST /api/v1/ranges", "GET /api/v1/ranges/{id}", "POST /api/v1/blueprints",
                "GET /api/v1/audit", "GET /api/v1/pool");

        List<String> topTags = new ArrayList<>();
        docs.path("tags").forEach(tag -> topTags.add(tag.path("name").asText()));
        assertThat(topTags).contains("Ranges", "Blueprints", "Audit", "Pool").noneMatch(t -> t.endsWith("-controller"));

        assertThat(docs.at("/components/schemas/ProblemDetail/properties").fieldNames()).toIterable()
                .contains("type", "title", "status", "detail", "errors");
        assertThat(docs.at("/paths/~1api~1v1~1blueprints/post/parameters").findValuesAsText("name"))
                .as("Content-Type is the request body's media type, no parameter").doesNotContain("Content-Type");
        JsonNode deploy = docs.at("/paths/~1api~1v1~1ranges/post");
        assertThat(deploy.at("/responses").fieldNames()).toIterable().contains("202", "400", "404", "409", "413",
                "415");
        assertThat(deploy.at("/requestBody/content/application~1json/example/name").asText()).isNotBlank();
        JsonNode register = docs.at("/paths/~1api~1v1~1blueprints/post/requestBody/content");
        assertThat(register.at("/application~1yaml/example").asText()).startsWith("name: ");
        assertThat(register.at("/application~1json/example/vms").isArray()).isTrue();

        JsonNode audit = docs.at("/paths/~1api~1v1~1audit/get");
        List<String> parameters = new ArrayList<>();
        audit.path("parameters").forEach(p -> parameters.add(p.path("name").asText()));
        assertThat(parameters).contains("page", "size", "from", "to");
        assertThat(audit.at("/responses/200/content/application~1json/schema/$ref").asText()).endsWith("/Page");
        assertThat(docs.at("/components/schemas/Page/properties").fieldNames()).toIterable()
                .contains("items", "page", "size", "total");
    }

    /** The title, status and detail of a problem+json answer. */
    static void assertProblem(WebTestClient.ResponseSpec response, HttpStatus status) {
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status.value())
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413AndTheServerAnswersAfterwards() {
        String yaml = "name: big\n# " + "x".repeat(TOO_LARGE) + "\n";
        assertProblem(api.post().uri("/api/v1/blueprints").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange(), HttpStatus.PAYLOAD_TOO_LARGE);
        assertProblem(deployRaw("{\"name\": \"" + "x".repeat(TOO_LARGE) + "\"}"), HttpStatus.PAYLOAD_TOO_LARGE);
        // the control: a body under the limit reaches the controller
        assertThat(errorFields(deployRaw("{\"name\": \"" + "x".repeat(1000) + "\"}").expectStatus().isBadRequest()))
                .containsExactly("blueprintId", "name");
        api.get().uri("/api/v1/ranges").exchange().expectStatus().isOk();
    }

    WebTestClient.ResponseSpec deployRaw(String body) {
        return api.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void aBodyOfAnUnsupportedTypeIs415() {
        assertProblem(api.post().uri("/api/v1/blueprints").contentType(MediaType.TEXT_PLAIN).bodyValue("name: x")
                .exchange(), HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertProblem(api.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_XML).bodyValue("<r/>")
                .exchange(), HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void malformedJsonIs400NamingTheBody() {
        assertThat(errorFields(deployRaw("{\"name\": ").expectStatus().isBadRequest())).containsExactly("body");
    }

    @Test
    void aQueryParameterOfTheWrongTypeIs400NamingIt() {
        assertThat(errorFields(api.get().uri("/api/v1/blueprints?includeRetired=perhaps").exchange()
                .expectStatus().isBadRequest())).containsExactly("includeRetired");
    }

    @Test
    void anUnknownPathAWrongMethodAndAnUnacceptableTypeAreProblems() {
        assertProblem(api.get().uri("/api/v1/no-such-thing").exchange(), HttpStatus.NOT_FOUND);
        assertProblem(api.get().uri("/no-such-thing").exchange(), HttpStatus.NOT_FOUND);
        assertProblem(api.patch().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange(), HttpStatus.METHOD_NOT_ALLOWED);
        assertProblem(api.get().uri("/api/v1/ranges").accept(MediaType.APPLICATION_XML).exchange(),
                HttpStatus.NOT_ACCEPTABLE);
    }

    @Test
    void withoutCredentialsIs401AsAProblemThatStillAsksForBasic() {
        WebTestClient.ResponseSpec response = anonymous.get().uri("/api/v1/ranges").exchange();
        response.expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, value -> assertThat(value).startsWith("Basic"));
        assertProblem(response, HttpStatus.UNAUTHORIZED);
        assertProblem(anonymous.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange(), HttpStatus.UNAUTHORIZED);
    }

    @Test
    void pagingOutsideItsBoundsIs400NamingTheParameter() {
        assertThat(errorFields(api.get().uri("/api/v1/audit?page=-1").exchange().expectStatus().isBadRequest()))
                .containsExactly("page");
        assertThat(errorFields(api.get().uri("/api/v1/audit?size=501").exchange().expectStatus().isBadRequest()))
                .containsExactly("size");
        assertThat(errorFields(api.get().uri("/api/v1/audit?from=2026-11-29T21:14:20").exchange()
                .expectStatus().isBadRequest())).containsExactly("from");
        // the control: the bounds themselves are accepted, and so is an ISO-8601 UTC instant
        api.get().uri("/api/v1/audit?page=0&size=500&from=2026-11-29T21:14:20.123Z").exchange()
                .expectStatus().isOk();
    }

    @Test
    void timesAreIso8601Utc() throws Exception {
        String blueprintId = register(sampleYaml("times"));
        Accepted accepted = deploy(Map.of("blueprintId", blueprintId, "name", "times")).expectStatus().isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody();
        String rangeId = accepted.rangeId();
        awaitStatus(rangeId, RangeStatus.DEPLOYED);

        JsonNode range = json.readTree(api.get().uri("/api/v1/ranges/{id}", rangeId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertIsoUtc(range, "createdAt", "deployedAt", "updatedAt");

        String event = api.get().uri("/api/v1/ranges/{id}/stream", rangeId).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody().filter(data -> data.startsWith("{"))
                .blockFirst(Duration.ofSeconds(30));
        assertIsoUtc(json.readTree(event), "createdAt", "deployedAt", "updatedAt");

        JsonNode history = json.readTree(api.get().uri("/api/v1/ranges/{id}/events", rangeId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertIsoUtc(history.get(0), "timestamp");

        JsonNode audit = json.readTree(api.get().uri("/api/v1/audit?rangeId={id}", rangeId).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertIsoUtc(audit.at("/items/0"), "at");

        String csv = api.get().uri("/api/v1/audit?rangeId={id}", rangeId).accept(MediaType.parseMediaType("text/csv"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        String firstRow = csv.split("\r\n")[1];
        assertThat(firstRow.substring(0, firstRow.indexOf(','))).matches(ISO_UTC);
    }

    static void assertIsoUtc(JsonNode node, String... fields) {
        for (String field : fields) {
            // the control: a number (epoch seconds) or an offset other than Z would fail here
            assertThat(node.path(field).isTextual()).as("%s of %s is text", field, node).isTrue();
            assertThat(node.path(field).asText()).as("%s of %s", field, node).matches(ISO_UTC);
        }
    }
}

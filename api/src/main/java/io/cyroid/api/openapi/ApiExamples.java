package io.cyroid.api.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.io.ClassPathResource;

/**
 * Examples on the main request bodies, so that "Try it out" in Swagger UI starts from something that works: the
 * sample blueprint that ships with the server (as YAML, and the same as JSON) and a deploy request.
 */
class ApiExamples implements OpenApiCustomizer {

    static final String SAMPLE = "samples/corp-lan.yaml";
    static final Map<String, String> DEPLOY = Map.of("blueprintId", "3f1c2a9e-5b7d-4c1e-9a0b-2d6e8f4a1b3c",
            "name", "monday class");
    static final Map<String, String> ACCEPTED = Map.of("rangeId", "8c5e0d2b-1f3a-4b6c-9d7e-0a1b2c3d4e5f",
            "status", "REQUESTED");

    @Override
    public void customise(OpenAPI openApi) {
        String yaml = sample();
        Object json = asJson(yaml);
        operation(openApi, "/api/v1/blueprints", PathItem.HttpMethod.POST)
                .ifPresent(op -> blueprintExamples(op, yaml, json));
        operation(openApi, "/api/v1/blueprints/{id}", PathItem.HttpMethod.PUT)
                .ifPresent(op -> blueprintExamples(op, yaml, json));
        operation(openApi, "/api/v1/ranges", PathItem.HttpMethod.POST).ifPresent(op -> {
            bodyExample(op, org.springframework.http.MediaType.APPLICATION_JSON_VALUE, DEPLOY);
            responseExample(op, "202", ACCEPTED);
        });
    }

    static Optional<Operation> operation(OpenAPI openApi, String path, PathItem.HttpMethod method) {
        return Optional.ofNullable(openApi.getPaths()).map(paths -> paths.get(path))
                .map(item -> item.readOperationsMap().get(method));
    }

    static void blueprintExamples(Operation operation, String yaml, Object json) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        operation.getRequestBody().getContent().forEach((type, media) -> media.setExample(
                type.endsWith("json") ? json : yaml));
    }

    static void bodyExample(Operation operation, String type, Object example) {
        Optional.ofNullable(operation.getRequestBody()).map(body -> body.getContent())
                .map(content -> content.get(type)).ifPresent(media -> media.setExample(example));
    }

    static void responseExample(Operation operation, String code, Object example) {
        Optional.ofNullable(operation.getResponses()).map(responses -> responses.get(code))
                .map(ApiResponse::getContent).map(Content::values)
                .ifPresent(media -> media.forEach((MediaType m) -> m.setExample(example)));
    }

    static String sample() {
        try {
            return new ClassPathResource(SAMPLE).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the sample blueprint " + SAMPLE + " is part of the jar", e);
        }
    }

    /** The YAML sample as a JSON value (maps and lists), so that the JSON example is the same blueprint. */
    static Object asJson(String yaml) {
        try {
            return new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the sample blueprint " + SAMPLE + " is not YAML", e);
        }
    }
}

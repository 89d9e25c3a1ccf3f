package io.cyroid.api.openapi;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpStatus;

/**
 * What every operation under /api/v1 has in common, added from its path and shape rather than from annotations, so
 * that a controller added later is covered too: one domain tag from the path's first segment (not springdoc's
 * "range-controller"), and the error responses it can give, each application/problem+json.
 */
class ApiConventions implements OpenApiCustomizer {

    static final String SCHEMAS = "#/components/schemas/";
    static final String PROBLEM_SCHEMA = "ProblemDetail";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String API = "/api/v1/";

    /** Tag by the path's first segment after /api/v1/, with what the tag holds. */
    static final Map<String, Tag> TAGS = Map.of(
            "ranges", tag("Ranges", "Ranges deployed from blueprints: deploy, follow, act on VMs, destroy, history"),
            "blueprints", tag("Blueprints", "Blueprints (networks, VMs, resources): register, revise, retire"),
            "audit", tag("Audit", "The audit log: every event and every refused request, read only"),
            "pool", tag("Pool", "The warm pool of DinD engines and the shared images"),
            "admin", tag("Admin", "Operator tasks"),
            "users", tag("Users", "User accounts and their roles; /me for anyone signed in"),
            "me", tag("Users", "User accounts and their roles; /me for anyone signed in"));

    record Error(String code, String when) {
    }

    static final Error BAD_REQUEST = new Error("400", "The request is invalid: `errors` names each offending field");
    static final Error UNAUTHORIZED = new Error("401", "No or wrong HTTP Basic credentials");
    static final Error NOT_FOUND = new Error("404", "Nothing with that id");
    static final Error CONFLICT = new Error("409", "The target's state forbids it now (e.g. a range not DEPLOYED)");
    static final Error TOO_LARGE = new Error("413", "The body is over the limit (spring.codec.max-in-memory-size)");
    static final Error UNSUPPORTED = new Error("415", "The body's Content-Type is not one this operation reads");
    static final Error SERVER = new Error("500", "An unexpected error; the server log has it");
    static final Error UNAVAILABLE = new Error("503", "Not available now (a read model being rebuilt): retry shortly");

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        TreeSet<String> used = new TreeSet<>();
        openApi.getPaths().forEach((path, item) -> {
            if (!path.startsWith(API)) {
                return;
            }
            Tag tag = tagOf(path);
            used.add(tag.getName());
            item.readOperationsMap().forEach((method, operation) -> {
                operation.setTags(List.of(tag.getName()));
                errorsOf(method, operation).forEach(error -> addProblem(operation, error));
                // an error a controller declares itself is a problem too (springdoc gives it the success body)
                operation.getResponses().forEach((code, response) -> {
                    if (code.matches("[45]\\d\\d")) {
                        addProblem(operation, new Error(code, response.getDescription()));
                    }
                });
                withoutContentHeaders(operation);
            });
        });
        openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
        if (!Json.pretty(openApi.getPaths()).contains(SCHEMAS + "MediaType\"")) {
            // left by the Content-Type header parameters removed above; no body of the API is a media type
            openApi.getComponents().getSchemas().remove("MediaType");
        }
        // the tags list names each domain once, with its description, and nothing springdoc derived from classes
        openApi.setTags(used.stream().map(name -> TAGS.values().stream().filter(t -> t.getName().equals(name))
                .findFirst().orElseGet(() -> tag(name, null))).toList());
    }

    static Tag tagOf(String path) {
        String segment = path.substring(API.length()).split("/", 2)[0];
        Tag known = TAGS.get(segment);
        return known != null ? known
                : tag(segment.isEmpty() ? "Api" : segment.substring(0, 1).toUpperCase(Locale.ROOT)
                + segment.substring(1), null);
    }

    /** The errors an operation of this shape can answer with. */
    static List<Error> errorsOf(PathItem.HttpMethod method, Operation operation) {
        boolean body = operation.getRequestBody() != null;
        List<Parameter> parameters = operation.getParameters() == null
                ? List.of() : operation.getParameters();
        boolean query = parameters.stream().anyMatch(p -> "query".equals(p.getIn()));
        boolean pathVariable = parameters.stream().anyMatch(p -> "path".equals(p.getIn()));
        boolean command = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
        List<Error> errors = new ArrayList<>();
        if (body || query) {
            errors.add(BAD_REQUEST);
        }
        errors.add(UNAUTHORIZED);
        if (pathVariable) {
            errors.add(NOT_FOUND);
        }
        if (command) {
            errors.add(CONFLICT);
        }
        if (body) {
            errors.add(TOO_LARGE);
            errors.add(UNSUPPORTED);
        }
        errors.add(SERVER);
        errors.add(UNAVAILABLE);
        return errors;
    }

    /**
     * A controller reads Content-Type to tell YAML from JSON; OpenAPI says a Content-Type or Accept parameter is
     * ignored (the request body's media types say it), and Swagger UI would ask for it in a box of its own.
     */
    static void withoutContentHeaders(Operation operation) {
        if (operation.getParameters() != null) {
            operation.getParameters().removeIf(p -> "header".equals(p.getIn())
                    && ("Content-Type".equalsIgnoreCase(p.getName()) || "Accept".equalsIgnoreCase(p.getName())));
            if (operation.getParameters().isEmpty()) {
                operation.setParameters(null);
            }
        }
    }

    /** A response the controller declared keeps its description; its content becomes the problem. */
    static void addProblem(Operation operation, Error error) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponse response = operation.getResponses().computeIfAbsent(error.code(),
                code -> new ApiResponse().description(error.when()));
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", "about:blank");
        example.put("title", title(error.code()));
        example.put("status", Integer.parseInt(error.code()));
        example.put("detail", error.when());
        response.setContent(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                .schema(new Schema<>().$ref(SCHEMAS + PROBLEM_SCHEMA)).example(example)));
    }

    static String title(String code) {
        return switch (code) {
            case "400" -> "invalid request";
            case "404" -> "not found";
            case "409" -> "conflict";
            case "503" -> "unavailable";
            default -> HttpStatus.valueOf(Integer.parseInt(code)).getReasonPhrase().toLowerCase(Locale.ROOT);
        };
    }

    /** RFC 9457, as ProblemHandlers writes it. */
    static Schema<?> problemSchema() {
        ObjectSchema fieldError = new ObjectSchema();
        fieldError.addProperty("field", new StringSchema().example("name"));
        fieldError.addProperty("message", new StringSchema().example("is required"));
        ObjectSchema problem = new ObjectSchema();
        problem.description("RFC 9457 problem details: every error answer of the API");
        problem.addProperty("type", new StringSchema().format("uri").example("about:blank"));
        problem.addProperty("title", new StringSchema().example("invalid request"));
        problem.addProperty("status", new IntegerSchema().example(400));
        problem.addProperty("detail", new StringSchema().example("the range request is invalid: name: is required"));
        problem.addProperty("instance", new StringSchema().format("uri").example("/api/v1/ranges"));
        problem.addProperty("errors", new ArraySchema().items(fieldError)
                .description("on a 400: each offending field (body, a parameter, or a field of the body)"));
        return problem;
    }

    private static Tag tag(String name, String description) {
        return new Tag().name(name).description(description);
    }
}

package io.cyroid.api.blueprint;

import io.cyroid.blueprint.*;

import io.cyroid.api.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/blueprints")
public class BlueprintController {

    static final List<String> YAML_TYPES = List.of("application/yaml", "application/x-yaml", "text/yaml",
            "text/x-yaml");

    private final BlueprintStore store;

    public BlueprintController(BlueprintStore store) {
        this.store = store;
    }

    @Operation(summary = "Register a blueprint, as YAML (Content-Type: application/yaml) or JSON")
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
            MediaType.APPLICATION_JSON_VALUE}, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<Map<String, String>> register(@RequestBody String body,
                                              @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
                                              Principal user) {
        boolean yaml = YAML_TYPES.stream().anyMatch(t -> MediaType.parseMediaType(t).isCompatibleWith(contentType));
        Blueprint blueprint = BlueprintParser.parse(body, yaml);
        return store.register(blueprint, user.getName())
                .map(stored -> Map.of("id", stored.id(), "name", stored.name()));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<List<BlueprintStore.StoredBlueprint>> list() {
        return store.list();
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BlueprintStore.StoredBlueprint> get(@PathVariable String id) {
        return store.find(id).switchIfEmpty(Mono.error(() -> new NotFoundException("no blueprint " + id)));
    }
}

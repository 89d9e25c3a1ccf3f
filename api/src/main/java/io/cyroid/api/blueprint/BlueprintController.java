package io.cyroid.api.blueprint;

import io.cyroid.blueprint.*;

import io.cyroid.api.NotFoundException;
import io.cyroid.messages.BlueprintVersionView;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/blueprints")
public class BlueprintController {

    static final List<String> YAML_TYPES = List.of("application/yaml", "application/x-yaml", "text/yaml",
            "text/x-yaml");

    private final BlueprintStore store;
    private final int maxDepth;

    public BlueprintController(BlueprintStore store, BlueprintLimitsProperties limits) {
        this.store = store;
        this.maxDepth = limits.maxDepth();
    }

    @Operation(summary = "Register a blueprint, as YAML (Content-Type: application/yaml) or JSON")
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
            MediaType.APPLICATION_JSON_VALUE}, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<Map<String, String>> register(@RequestBody String body,
                                              @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
                                              Principal user) {
        Blueprint blueprint = parse(body, contentType);
        return store.register(blueprint, user.getName())
                .map(stored -> Map.of("id", stored.id(), "name", stored.name()));
    }

    @Operation(summary = "Revise a blueprint: a new version, as YAML or JSON, validated like a new one; 409 when the"
            + " blueprint is retired or another blueprint has the name")
    @PutMapping(path = "/{id}", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
            MediaType.APPLICATION_JSON_VALUE}, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BlueprintStore.StoredBlueprint> revise(@PathVariable String id, @RequestBody String body,
                                                       @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
                                                       Principal user) {
        Blueprint blueprint = parse(body, contentType);
        return store.revise(id, blueprint, user.getName());
    }

    @Operation(summary = "Retire a blueprint: no longer listed by default, revised or deployed; ranges deployed from"
            + " it are not touched. Retiring a retired blueprint changes nothing")
    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BlueprintStore.StoredBlueprint> retire(@PathVariable String id, Principal user) {
        return store.retire(id, user.getName());
    }

    @Operation(summary = "Every blueprint by name; retired ones too with includeRetired=true")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<List<BlueprintStore.StoredBlueprint>> list(
            @RequestParam(name = "includeRetired", defaultValue = "false") boolean includeRetired) {
        return store.list(includeRetired);
    }

    @Operation(summary = "One blueprint, its latest version, retired or not")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BlueprintStore.StoredBlueprint> get(@PathVariable String id) {
        return store.find(id).switchIfEmpty(Mono.error(() -> new NotFoundException("no blueprint " + id)));
    }

    @Operation(summary = "Every version of a blueprint, oldest first: version, blueprint, by, at")
    @GetMapping(path = "/{id}/versions", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<List<BlueprintVersionView>> versions(@PathVariable String id) {
        return store.versions(id);
    }

    /** CPU work only (the parser): fine on the event loop. */
    private Blueprint parse(String body, MediaType contentType) {
        boolean yaml = YAML_TYPES.stream().anyMatch(t -> MediaType.parseMediaType(t).isCompatibleWith(contentType));
        return BlueprintParser.parse(body, yaml, maxDepth);
    }
}

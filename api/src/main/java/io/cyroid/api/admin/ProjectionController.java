package io.cyroid.api.admin;

import io.cyroid.api.Blocking;
import io.cyroid.api.admin.ProjectionAdmin.Projection;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The event processors and the replay of a read model, for an operator (docs/operations.md, "Projection replay").
 * Open to any signed-in user, like the rest of the API: there are no roles yet.
 */
@RestController
@RequestMapping("/api/v1/admin/projections")
@Tag(name = "admin")
public class ProjectionController {

    private final ProjectionAdmin admin;

    public ProjectionController(ProjectionAdmin admin) {
        this.admin = admin;
    }

    @Operation(summary = "Every event processor: name, state (running/stopped/error), replaying, position (global"
            + " index of its token, the lowest over its segments), head (the event store's), lag, segments")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<List<Projection>> list() {
        return Blocking.call(admin::list);
    }

    @Operation(summary = "One event processor, as in the list")
    @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Projection> get(@PathVariable String name) {
        return Blocking.call(() -> admin.get(name));
    }

    @Operation(summary = "Rebuild the processor's read model from the event store: stop, reset its tokens (the read"
            + " model is cleared), start. 202 at once; 409 while a replay of it runs or if it cannot be reset (the"
            + " saga processor)")
    @PostMapping(path = "/{name}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<Projection> replay(@PathVariable String name, Principal user) {
        return Blocking.call(() -> admin.replay(name, user.getName()));
    }
}

package io.cyroid.api.pool;

import io.cyroid.provisioning.PoolStatus;
import io.cyroid.provisioning.WarmPool;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The warm pool and the shared images, for an operator: what waits, what starts, what it starts from. */
@RestController
@RequestMapping("/api/v1/pool")
@Tag(name = "pool")
public class PoolController {

    private final WarmPool pool;

    public PoolController(WarmPool pool) {
        this.pool = pool;
    }

    /** Reads the pool's memory only: no engine call on the event loop. */
    @Operation(summary = "Warm DinDs waiting and starting, taken so far, and the shared images they start from")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<PoolStatus> status() {
        return Mono.fromSupplier(pool::status);
    }
}

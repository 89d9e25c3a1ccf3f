package io.cyroid.provisioning;

import java.time.Instant;
import java.util.List;

/**
 * The warm pool as an operator sees it (GET /api/v1/pool): how many DinDs wait, which, how many are starting, and the
 * shared images they start from.
 */
public record PoolStatus(boolean enabled, int target, int ready, int warming, long taken, long misses,
                         List<Waiting> waiting, Shared shared, Capacity capacity, String lastError) {

    /** A warm DinD: the range id it is reserved for, and since when it is ready. */
    public record Waiting(String rangeId, Instant since) {
    }

    /** state: OFF (no images configured), BUILDING, READY or FAILED (reason says why). */
    public record Shared(String state, String name, List<String> images, List<String> missing, String reason) {
    }

    /** DinDs on the engine (ranges and warm ones, every node) against the most the pool lets it reach. */
    public record Capacity(int dinds, int maxDinds) {
    }
}

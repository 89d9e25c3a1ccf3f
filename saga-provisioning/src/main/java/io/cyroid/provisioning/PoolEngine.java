package io.cyroid.provisioning;

import java.util.List;

/**
 * What the warm pool needs of an engine, beside {@link RangeEngine}: a shared read-only copy of the common images,
 * and DinDs started for range ids that nobody has requested yet. Implementations block.
 */
public interface PoolEngine {

    /**
     * Makes sure the shared copy of these images exists (built once, then read-only) and that DinDs created from now
     * on start from it. Images the host engine does not have are left out and named in the result.
     */
    SharedImages shareImages(List<String> images);

    /**
     * Creates and starts a DinD for a range id not requested yet, labelled as this node's warm DinD, with the default
     * resources; returns once its inner engine answers. A later {@link RangeEngine#createDind} for that id finds it.
     */
    void startWarmDind(String rangeId);

    /** The range ids of this node's warm DinDs on the engine, claimed or not (their labels do not change). */
    List<String> warmDinds();

    /** True if the DinD of this range id runs and its inner engine answers. */
    boolean answers(String rangeId);

    /** DinDs on the engine, ranges and warm ones alike, of every node. */
    int dindCount();

    /** Removes everything of this range id, as {@link RangeEngine#removeRange} does. */
    void discard(String rangeId);

    /** The shared copy: its name on the engine (null when none), the images in it, and those not on the host. */
    record SharedImages(String name, List<String> images, List<String> missing) {
        public static SharedImages none(List<String> missing) {
            return new SharedImages(null, List.of(), missing);
        }
    }
}

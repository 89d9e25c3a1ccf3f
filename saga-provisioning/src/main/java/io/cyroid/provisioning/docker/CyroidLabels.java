package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import java.util.Map;

/** Labels on every Docker object Cyroid creates: ownership and cleanup go by label, never by name. */
public final class CyroidLabels {
    public static final String MANAGED = "cyroid.managed";
    public static final String RANGE_ID = "cyroid.range-id";
    public static final String ROLE = "cyroid.role";
    /** On a DinD (and its volume) made for the warm pool: the node whose pool made it. Stays after a range takes it. */
    public static final String POOL_NODE = "cyroid.pool-node";
    /** On a shared-images volume: the images it holds. */
    /** A VM's static routes ("to via" pairs, comma-separated): set again from here after every start. */
    public static final String ROUTES = "cyroid.routes";
    public static final String GOLDEN_IMAGES = "cyroid.golden.images";

    private CyroidLabels() {
    }

    public static Map<String, String> forRange(String rangeId, String role) {
        return Map.of(MANAGED, "true", RANGE_ID, rangeId, ROLE, role);
    }

    public static Map<String, String> forWarmDind(String rangeId, String role, String node) {
        return Map.of(MANAGED, "true", RANGE_ID, rangeId, ROLE, role, POOL_NODE, node);
    }

    /** A docker label filter value matching exactly one range. */
    public static String rangeFilter(String rangeId) {
        return RANGE_ID + "=" + rangeId;
    }
}

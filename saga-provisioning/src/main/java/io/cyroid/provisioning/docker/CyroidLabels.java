package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import java.util.Map;

/** Labels on every Docker object Cyroid creates: ownership and cleanup go by label, never by name. */
public final class CyroidLabels {
    public static final String MANAGED = "cyroid.managed";
    public static final String RANGE_ID = "cyroid.range-id";
    public static final String ROLE = "cyroid.role";

    private CyroidLabels() {
    }

    public static Map<String, String> forRange(String rangeId, String role) {
        return Map.of(MANAGED, "true", RANGE_ID, rangeId, ROLE, role);
    }

    /** A docker label filter value matching exactly one range. */
    public static String rangeFilter(String rangeId) {
        return RANGE_ID + "=" + rangeId;
    }
}

package io.cyroid.blueprint;

/**
 * Limits for a whole range (its DinD container). {@code memory} uses Docker's notation ("512m", "2g");
 * either field may be absent, in which case the configured defaults apply.
 */
public record ResourceSpec(String memory, Double cpus) {
}

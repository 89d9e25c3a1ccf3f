package io.cyroid.messages;

public record RangeDeploymentFailed(String rangeId, String step, String reason) implements RangeEvents {
}

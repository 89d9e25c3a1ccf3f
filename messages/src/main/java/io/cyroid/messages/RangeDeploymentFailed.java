package io.cyroid.messages;

import org.axonframework.serialization.Revision;

@Revision("1")
public record RangeDeploymentFailed(String rangeId, String step, String reason) implements RangeEvents {
}

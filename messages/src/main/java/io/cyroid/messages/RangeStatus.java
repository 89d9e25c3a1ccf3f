package io.cyroid.messages;

public enum RangeStatus {
    REQUESTED, PROVISIONING, DEPLOYED, DEGRADED, FAILED, DESTROYING, DESTROYED
}

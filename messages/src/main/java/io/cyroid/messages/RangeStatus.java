package io.cyroid.messages;

public enum RangeStatus {
    REQUESTED, PROVISIONING, DEPLOYED, FAILED, DESTROYING, DESTROYED
}

package io.cyroid.messages;

/**
 * A provisioning node (re)started: sagas whose engine work was in flight on that node hand it to the node again,
 * because in-memory work does not survive a restart.
 */
public record ProvisioningNodeStarted(String nodeId) {
}

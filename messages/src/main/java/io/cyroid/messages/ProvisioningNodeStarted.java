package io.cyroid.messages;

import org.axonframework.serialization.Revision;

/**
 * A provisioning node (re)started: sagas whose engine work was in flight on that node hand it to the node again,
 * because in-memory work does not survive a restart.
 */
@Revision("1")
public record ProvisioningNodeStarted(String nodeId) {
}

package io.cyroid.blueprint;

/** One network attachment of a VM, with the exact IPv4 address the VM has on that network. */
public record InterfaceSpec(String network, String ip) {
}

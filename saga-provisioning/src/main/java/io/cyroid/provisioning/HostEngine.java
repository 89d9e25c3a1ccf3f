package io.cyroid.provisioning;

/**
 * What the rest of Cyroid may know of the host engine: its size (a blueprint larger than the host is refused before
 * anything is recorded), the DinD security mode in use, and whether it answers. Implementations block.
 */
public interface HostEngine {

    int hostCpus();

    long hostMemory();

    DindSecurityMode securityMode();

    /** Throws when the engine does not answer. */
    void ping();
}

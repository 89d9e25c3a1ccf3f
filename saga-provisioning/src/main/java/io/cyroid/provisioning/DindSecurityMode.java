package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

/**
 * How a DinD container gets the rights its inner engine needs. {@code PRIVILEGED} is the usual host;
 * {@code CAPABILITIES} an explicit capability set for hosts that refuse --privileged (a sandbox whose bounding set
 * lacks CAP_SYS_RESOURCE); {@code AUTO} probes at start and keeps the first that runs.
 */
public enum DindSecurityMode {
    AUTO, PRIVILEGED, CAPABILITIES
}

package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

/**
 * How a DinD container gets the rights its inner engine needs (docs/security.md). {@code SYSBOX} runs it with the
 * sysbox runtime, unprivileged, in a user namespace; {@code PRIVILEGED} is the usual host; {@code CAPABILITIES} a
 * measured capability set for hosts that refuse --privileged (a sandbox whose bounding set lacks
 * CAP_SYS_RESOURCE); {@code AUTO} tries them in that order at start (SYSBOX only when the host engine has the
 * runtime) and keeps the first that runs.
 */
public enum DindSecurityMode {
    AUTO, PRIVILEGED, CAPABILITIES, SYSBOX
}

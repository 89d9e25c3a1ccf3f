package io.cyroid.messages;

/** Marker for the events of a range's life. */
public sealed interface RangeEvents permits RangeRequested, DinDCreated, NetworkCreated, ImagesSeeded, VmStarted,
        RangeDeployed, RangeDeploymentFailed, RangeDestroyRequested, DinDRemoved, RangeDestroyed,
        VmActionRequested, VmStopped, VmRestarted, VmReset, VmActionFailed, RangeDegraded, RangeRecovered, RangeRedeployed,
        RangeAssigned, RangeUnassigned {
    String rangeId();
}

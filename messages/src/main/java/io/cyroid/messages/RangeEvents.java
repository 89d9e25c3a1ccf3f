package io.cyroid.messages;

/** Marker for the events of a range's life. */
public sealed interface RangeEvents permits RangeRequested, DinDCreated, NetworkCreated, ImagesSeeded, VmStarted,
        RangeDeployed, RangeDeploymentFailed, RangeDestroyRequested, DinDRemoved, RangeDestroyed {
    String rangeId();
}

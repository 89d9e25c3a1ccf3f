package io.cyroid.messages;

/** Marker for the commands of the Range aggregate; the records live beside it, one file each. */
public sealed interface RangeCommands permits RequestRange, RecordDinDCreated, RecordNetworkCreated,
        RecordImagesSeeded, RecordVmStarted, RecordRangeRunning, FailDeployment, DestroyRange, RecordDinDRemoved,
        RequestVmAction, RecordVmAction, RecordVmActionFailed, RecordVmStopped, MarkRangeDegraded, RecordRangeRecovered,
        RecordRedeploy, AssignRange, UnassignRange {
    String rangeId();
}

package io.cyroid.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reconciler needs of the engines: what Cyroid's labelled objects look like now, a few repairs, and the
 * engines' container events. Only objects that carry a range id are listed; the host networks (role mgmt, ranges)
 * and the start-up probes carry none. Implementations block; callers must not be on an event-loop thread.
 */
public interface EngineInventory {

    /** Every object on the host engine labelled with a range id: containers (any state), volumes, networks. */
    List<HostObject> hostObjects();

    /** The object as the engine shows it now (labels read again), or empty when it is gone. */
    Optional<HostObject> hostObject(Kind kind, String id);

    /** The range's DinD container (the one named for it and labelled with its id) as the engine shows it now. */
    Optional<HostObject> dind(String rangeId);

    /** The VMs (containers labelled with the range id and role vm) of the range's inner engine, in any state. */
    List<VmState> vms(String rangeId);

    /** One VM of the range as its inner engine shows it now, or empty when no such VM of the range exists. */
    Optional<VmState> vm(String rangeId, String name);

    /** Starts the range's existing DinD container if it is not running, and returns once its inner engine answers. */
    void startDind(String rangeId);

    /**
     * Starts the named VMs of the range that exist and are not running (they keep their networks and addresses), then
     * checks after a short settle time that each of them runs; fails naming the first that is missing or exited.
     * Returns how many were started.
     */
    int startVms(String rangeId, List<String> vmNames);

    /** Removes one object (a container forcibly); an object already gone is no error. */
    void remove(HostObject object);

    /**
     * Forgets a range that no longer exists once nothing labelled with its id is left on the host: its client and its
     * socket folder go. Does nothing while labelled objects of the range remain.
     */
    void releaseRange(String rangeId);

    /**
     * The host engine's container events (die, start, destroy) of objects labelled with a range id, from now on. The
     * stream is opened again when it breaks, until the subscription is closed.
     */
    Subscription watchHost(Listener listener);

    /** The range's inner engine's VM events (die, start), reconnecting like {@link #watchHost}. */
    Subscription watchRange(String rangeId, Listener listener);

    enum Kind { CONTAINER, VOLUME, NETWORK }

    /**
     * A labelled host object. {@code running}, {@code exitCode} and {@code finishedAt} are for containers only.
     * {@code created} is null where the engine does not say (volumes). {@code ownedHere}: the object was made by this
     * installation (its range's socket folder is in this installation's socket folder, or it is a DinD that mounts
     * it); objects of another Cyroid on the same engine are never touched.
     */
    record HostObject(Kind kind, String id, String name, String rangeId, String role, boolean running, Long exitCode,
                      Instant finishedAt, Instant created, boolean ownedHere, Map<String, String> labels) {
    }

    record VmState(String name, String containerId, boolean running, Long exitCode, Instant finishedAt) {
    }

    /** A container event; {@code rangeId}, {@code role} and {@code name} come from the container's labels. */
    record ContainerEvent(String action, String containerId, String name, String rangeId, String role, Long exitCode,
                          Instant time) {
    }

    interface Listener {
        void onEvent(ContainerEvent event);

        /** The stream is open; {@code afterOutage}: the engine did not answer for a while before. */
        default void onConnected(boolean afterOutage) {
        }

        /** The stream broke; it is opened again when the engine answers. */
        default void onDisconnected(String reason) {
        }
    }

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}

package io.cyroid.provisioning;

import io.cyroid.blueprint.Blueprint;

/**
 * The blueprint snapshot a range was requested with (its RangeRequested). The saga gets it as a handler parameter
 * and never stores it: a snapshot can be large, and the event store already holds it once per range.
 */
public interface RangeBlueprints {

    /** The snapshot of a requested range; fails if the range has no RangeRequested. */
    Blueprint of(String rangeId);
}

package io.cyroid.provisioning;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes chosen steps fail right after their engine work, so tests can prove compensation for every step on the real
 * engine. Off unless {@code cyroid.provisioning.fault-injection.enabled=true} is configured; no API reaches it.
 */
public class FaultInjection {

    private final boolean enabled;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public FaultInjection(boolean enabled, Collection<String> steps) {
        this.enabled = enabled;
        if (enabled) {
            failing.addAll(steps);
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** From now on, every job of this step fails after its engine work. */
    public void failStep(String step) {
        if (!enabled) {
            throw new IllegalStateException("fault injection is off (cyroid.provisioning.fault-injection.enabled)");
        }
        failing.add(step);
    }

    public void clear() {
        failing.clear();
    }

    void check(String step) {
        if (enabled && failing.contains(step)) {
            throw new EngineException("injected fault at " + step);
        }
    }
}

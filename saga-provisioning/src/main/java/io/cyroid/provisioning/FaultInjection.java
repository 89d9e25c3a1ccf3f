package io.cyroid.provisioning;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes chosen steps fail right after their engine work, so tests can prove compensation for every step on the real
 * engine. Off unless {@code cyroid.provisioning.fault-injection.enabled=true} is configured; no API reaches it.
 */
public class FaultInjection {

    private final boolean enabled;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();

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

    /** From now on, every job of this step waits this long before its engine work (a slow engine, to order races). */
    public void delayStep(String step, Duration delay) {
        if (!enabled) {
            throw new IllegalStateException("fault injection is off (cyroid.provisioning.fault-injection.enabled)");
        }
        delays.put(step, delay);
    }

    public void clear() {
        failing.clear();
        delays.clear();
    }

    void delay(String step) {
        Duration delay = enabled ? delays.get(step) : null;
        if (delay != null) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void check(String step) {
        if (enabled && failing.contains(step)) {
            throw new EngineException("injected fault at " + step);
        }
    }
}

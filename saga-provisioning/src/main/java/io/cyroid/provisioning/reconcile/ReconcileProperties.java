package io.cyroid.provisioning.reconcile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The reconciler's settings; laptop defaults. Mapped from CYROID_RECONCILE_* in application.yml. */
@ConfigurationProperties("cyroid.reconcile")
public class ReconcileProperties {

    /** Off: no event streams, no periodic pass; ranges drift unnoticed as before. */
    private boolean enabled = true;
    /** Time between two periodic passes (the truth when events were missed); the first runs right at start. */
    private Duration interval = Duration.ofSeconds(30);
    /** How old an orphan must be (how long it must have been seen, where the engine gives no age) before removal. */
    private Duration grace = Duration.ofMinutes(2);
    /** Attempts to bring a DEGRADED range back (one per pass at most) before it is left DEGRADED. */
    private int recoveryAttempts = 5;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Duration getInterval() { return interval; }
    public void setInterval(Duration interval) { this.interval = interval; }
    public Duration getGrace() { return grace; }
    public void setGrace(Duration grace) { this.grace = grace; }
    public int getRecoveryAttempts() { return recoveryAttempts; }
    public void setRecoveryAttempts(int recoveryAttempts) { this.recoveryAttempts = recoveryAttempts; }
}

package io.cyroid.api;

import io.cyroid.provisioning.HostEngine;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** The host Docker engine in /actuator/health: without it no range can be provisioned or destroyed. */
@Component("dockerEngine")
public class EngineHealth implements HealthIndicator {

    private final HostEngine engine;

    public EngineHealth(HostEngine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        try {
            engine.ping();
            return Health.up().withDetail("dindSecurityMode", engine.securityMode()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", String.valueOf(e.getMessage())).build();
        }
    }
}

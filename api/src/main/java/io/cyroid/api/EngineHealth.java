package io.cyroid.api;

import io.cyroid.provisioning.DockerClients;
import io.cyroid.provisioning.HostEngineSetup;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** The host Docker engine in /actuator/health: without it no range can be provisioned or destroyed. */
@Component("dockerEngine")
public class EngineHealth implements HealthIndicator {

    private final DockerClients clients;
    private final HostEngineSetup setup;

    public EngineHealth(DockerClients clients, HostEngineSetup setup) {
        this.clients = clients;
        this.setup = setup;
    }

    @Override
    public Health health() {
        try {
            clients.host().pingCmd().exec();
            return Health.up().withDetail("dindSecurityMode", setup.securityMode()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", String.valueOf(e.getMessage())).build();
        }
    }
}

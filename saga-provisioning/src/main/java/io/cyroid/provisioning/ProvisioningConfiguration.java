package io.cyroid.provisioning;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProvisioningProperties.class)
public class ProvisioningConfiguration {

    @Bean(destroyMethod = "close")
    DockerClients dockerClients(ProvisioningProperties properties) {
        return new DockerClients(properties.getDockerHost(), properties.getSocketDir());
    }

    /** Checked when the context starts: a server that cannot provision must not pretend it can. */
    @Bean(initMethod = "prepare")
    HostEngineSetup hostEngineSetup(DockerClients clients, ProvisioningProperties properties) {
        return new HostEngineSetup(clients, properties);
    }

    @Bean
    RangeEngine rangeEngine(DockerClients clients, ProvisioningProperties properties, HostEngineSetup setup) {
        return new DockerRangeEngine(clients, properties, setup);
    }
}

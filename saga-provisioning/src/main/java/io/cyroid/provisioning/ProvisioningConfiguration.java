package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProvisioningProperties.class)
public class ProvisioningConfiguration {

    /** Axon's name for the saga's event processor; tuned in application.yml under the same name. */
    public static final String PROCESSOR = "ProvisioningSagaProcessor";

    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean(destroyMethod = "close")
    DockerClients dockerClients(ProvisioningProperties properties) {
        return new DockerClients(properties.getDockerHost(), properties.getSocketDir());
    }

    /** Checked when the context starts: a server that cannot provision must not pretend it can. */
    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean(initMethod = "prepare")
    HostEngineSetup hostEngineSetup(DockerClients clients, ProvisioningProperties properties) {
        return new HostEngineSetup(clients, properties);
    }

    /**
     * A step's failure is handled inside the saga (the range fails); what escapes it (the engine unreachable while
     * removing a range) must not be logged and forgotten, leaving the range DESTROYING for ever: the processor
     * retries the event, with back-off, until it succeeds.
     */
    @Bean
    ConfigurerModule retryProvisioningOnEscapedErrors() {
        return configurer -> configurer.eventProcessing().registerListenerInvocationErrorHandler(
                PROCESSOR, conf -> PropagatingErrorHandler.instance());
    }

    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean
    RangeEngine rangeEngine(DockerClients clients, ProvisioningProperties properties, HostEngineSetup setup) {
        return new DockerRangeEngine(clients, properties, setup);
    }
}

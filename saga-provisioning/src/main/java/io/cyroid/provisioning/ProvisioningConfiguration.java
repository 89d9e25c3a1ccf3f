package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
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

    @Bean
    BoundedRetryErrorHandler provisioningErrorHandler() {
        return new BoundedRetryErrorHandler(3);
    }

    /** What escapes a saga handler is retried a few times, then skipped and shown in health: never for ever. */
    @Bean
    ConfigurerModule boundedRetriesOnEscapedErrors(BoundedRetryErrorHandler handler) {
        return configurer -> configurer.eventProcessing().registerListenerInvocationErrorHandler(
                PROCESSOR, conf -> handler);
    }

    @Bean
    FaultInjection faultInjection(ProvisioningProperties properties) {
        return new FaultInjection(properties.getFaultInjection().isEnabled(),
                properties.getFaultInjection().getSteps());
    }

    @Bean(destroyMethod = "close")
    StepWorker stepWorker(RangeEngine engine, CommandGateway commands, ProvisioningProperties properties,
                          FaultInjection faults) {
        return new StepWorker(engine, commands, properties, faults);
    }

    @Bean
    ProvisioningNode provisioningNode(EventGateway events, ProvisioningProperties properties) {
        return new ProvisioningNode(events, properties);
    }

    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean
    RangeEngine rangeEngine(DockerClients clients, ProvisioningProperties properties, HostEngineSetup setup) {
        return new DockerRangeEngine(clients, properties, setup);
    }
}

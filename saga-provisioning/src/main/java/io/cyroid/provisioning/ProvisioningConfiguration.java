package io.cyroid.provisioning;

import java.time.Clock;
import java.util.UUID;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

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

    /**
     * The saga's blueprint snapshots, read from each range's RangeRequested and cached: enough entries for the ranges
     * one node provisions at once, so a hand-over after a restart reads each range once.
     */
    @Bean
    RangeBlueprints rangeBlueprints(EventStore events) {
        return new EventStoreRangeBlueprints(events, 256);
    }

    @Bean
    ProvisioningNode provisioningNode(EventGateway events, ProvisioningProperties properties) {
        return new ProvisioningNode(events, properties);
    }

    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean
    GoldenImages goldenImages(DockerClients clients, ProvisioningProperties properties, HostEngineSetup setup) {
        return new GoldenImages(clients, properties, setup);
    }

    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean
    DockerRangeEngine rangeEngine(DockerClients clients, ProvisioningProperties properties, HostEngineSetup setup,
                                  GoldenImages golden) {
        return new DockerRangeEngine(clients, properties, setup, golden);
    }

    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean
    VmConsoles vmConsoles(DockerClients clients) {
        return new DockerVmConsoles(clients);
    }

    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean
    VmPortStreams vmPortStreams(DockerClients clients) {
        return new DockerVmPortStreams(clients);
    }

    @ConditionalOnProperty(name = "cyroid.provisioning.engine", havingValue = "docker", matchIfMissing = true)
    @Bean
    PoolEngine poolEngine(DockerClients clients, DockerRangeEngine ranges, GoldenImages golden,
                          ProvisioningProperties properties) {
        return new DockerPoolEngine(clients, ranges, golden, ProvisioningNode.id(properties));
    }

    /**
     * Off without an engine adapter. A range id counts as requested once its aggregate has events: such a warm DinD
     * belongs to its range, not to the pool, when the pool looks again after a restart.
     */
    @Bean(destroyMethod = "close")
    WarmPool warmPool(ObjectProvider<PoolEngine> engine, ProvisioningProperties properties, EventStore events,
                      StepWorker worker) {
        return new WarmPool(engine.getIfAvailable(), properties.getPool(), () -> UUID.randomUUID().toString(),
                rangeId -> events.lastSequenceNumberFor(rangeId).isPresent(),
                () -> worker.load().waiting() + worker.load().running() > 0, Clock.systemUTC());
    }

    /** After the node's start: the saga's hand-over comes first, the pool works beside the deploys. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> warmPoolStarter(WarmPool pool) {
        return ready -> pool.start();
    }
}

package io.cyroid.provisioning.reconcile;

import io.cyroid.provisioning.EngineInventory;
import io.cyroid.provisioning.ProvisioningProperties;
import io.cyroid.provisioning.docker.DockerClients;
import io.cyroid.provisioning.docker.DockerInventory;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * The reconciler (docs/operations.md, "Reconciliation"): on unless {@code cyroid.reconcile.enabled=false} or there is no engine adapter. It starts
 * once the application is ready, so its first pass sees the read model and the processors running.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReconcileProperties.class)
// off with cyroid.reconcile.enabled=false, and with no engine adapter (cyroid.provisioning.engine=none: tests)
@ConditionalOnExpression("${cyroid.reconcile.enabled:true} and '${cyroid.provisioning.engine:docker}' == 'docker'")
public class ReconcileConfiguration {

    @Bean(destroyMethod = "close")
    DockerInventory engineInventory(DockerClients clients, ProvisioningProperties properties) {
        return new DockerInventory(clients, properties);
    }

    @Bean(destroyMethod = "close")
    Reconciler reconciler(EngineInventory inventory, QueryGateway queries, EventStore eventStore,
                          CommandGateway commands, EventGateway events, ReconcileProperties properties) {
        return Reconciler.onOwnThreads(inventory, new AxonRangeRecords(queries, eventStore),
                new AxonSystemReports(commands, events), properties);
    }

    @Bean
    ReconcileStart reconcileStart(Reconciler reconciler) {
        return new ReconcileStart(reconciler);
    }

    @Bean
    ReconcileTrigger reconcileTrigger(Reconciler reconciler) {
        return new ReconcileTrigger(reconciler);
    }

    /** The trigger only hands range ids over: subscribing, so it runs at once and replays no history at start. */
    @Bean
    ConfigurerModule reconcileTriggerProcessor() {
        return configurer -> configurer.eventProcessing()
                .registerSubscribingEventProcessor(ReconcileTrigger.PROCESSOR);
    }

    static class ReconcileStart {
        private final Reconciler reconciler;

        ReconcileStart(Reconciler reconciler) {
            this.reconciler = reconciler;
        }

        @EventListener(ApplicationReadyEvent.class)
        public void start() {
            reconciler.start();
        }

        /** Before Axon's buses and processors stop: a pass must not meet a half-stopped application. */
        @EventListener(ContextClosedEvent.class)
        public void stop() {
            reconciler.close();
        }
    }
}

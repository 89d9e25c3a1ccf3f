package io.cyroid.api;

import io.cyroid.messages.upcasting.EventUpcasters;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {

    /** Metadata key of the user who caused a message; copied onto every message that message causes. */
    public static final String USER = "user";
    /** Metadata key of a caller-supplied X-Correlation-Id, carried like the user. */
    public static final String REQUEST_ID = "requestId";
    /** Metadata key of the address of the client whose request caused a message (for the audit log). */
    public static final String CLIENT = "client";

    /** The user travels from the API command to every event and saga command it leads to. */
    @Bean
    CorrelationDataProvider userCorrelation() {
        return new SimpleCorrelationDataProvider(USER, REQUEST_ID, CLIENT);
    }

    /** correlationId (the direct cause) and traceId (the request that started the chain). */
    @Bean
    CorrelationDataProvider messageOrigin() {
        return new MessageOriginProvider();
    }

    /**
     * Old stored forms of events, read in their current form: Axon's auto-configuration hands every EventUpcaster
     * bean to the event store, which applies it to aggregate loading, tracking processors and direct reads alike.
     * One bean, a chain, so the order of the steps is the chain's and not the bean order.
     */
    @Bean
    EventUpcaster eventUpcasters() {
        return EventUpcasters.chain();
    }
}

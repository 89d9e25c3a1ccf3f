package io.cyroid.api;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {

    /** Metadata key of the user who caused a message; copied onto every message that message causes. */
    public static final String USER = "user";
    /** Metadata key of a caller-supplied X-Correlation-Id, carried like the user. */
    public static final String REQUEST_ID = "requestId";

    /** The user travels from the API command to every event and saga command it leads to. */
    @Bean
    CorrelationDataProvider userCorrelation() {
        return new SimpleCorrelationDataProvider(USER, REQUEST_ID);
    }

    /** correlationId (the direct cause) and traceId (the request that started the chain). */
    @Bean
    CorrelationDataProvider messageOrigin() {
        return new MessageOriginProvider();
    }
}

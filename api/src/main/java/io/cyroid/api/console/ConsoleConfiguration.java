package io.cyroid.api.console;

import io.cyroid.api.range.RangeController;
import io.cyroid.provisioning.VmConsoles;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

/**
 * The console's WebSocket endpoint, mapped before the annotated controllers (whose range paths would otherwise
 * answer the upgrade with a 405). Without an engine adapter (cyroid.provisioning.engine=none and no fake) the
 * endpoint answers 503.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

    public static final String PATH = "/api/v1/ranges/{id}/vms/{vm}/console";

    @Bean
    ConsoleSocket consoleSocket(ObjectProvider<VmConsoles> consoles, ConsoleProperties properties,
                                ObjectMapper json) {
        return new ConsoleSocket(consoles.getIfAvailable(), properties, json);
    }

    @Bean
    SimpleUrlHandlerMapping consoleMapping(RangeController ranges, ConsoleSocket socket, ObjectMapper json) {
        HandshakeWebSocketService handshake = new HandshakeWebSocketService();
        ConsoleEndpoint endpoint = new ConsoleEndpoint(ranges, handshake, socket, json);
        return new SimpleUrlHandlerMapping(Map.of(PATH, endpoint), Ordered.HIGHEST_PRECEDENCE);
    }
}

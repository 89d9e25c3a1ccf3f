package io.cyroid.api.console;

import io.cyroid.api.IdProvider;
import io.cyroid.api.range.RangeController;
import io.cyroid.api.user.Accounts;
import io.cyroid.provisioning.VmConsoles;
import io.cyroid.provisioning.VmPortStreams;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

/**
 * The consoles' WebSocket endpoints (terminal and VNC), mapped before the annotated controllers (whose range paths
 * would otherwise answer the upgrade with a 405). Without an engine adapter (cyroid.provisioning.engine=none and no
 * fake) the endpoints answer 503.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

    public static final String PATH = "/api/v1/ranges/{id}/vms/{vm}/console";
    /** The graphical (VNC) console: the RFB stream as websockify serves it. */
    public static final String VNC_PATH = "/api/v1/ranges/{id}/vms/{vm}/vnc";

    @Bean
    ConsoleSlots consoleSlots(ConsoleProperties properties) {
        return new ConsoleSlots(properties);
    }

    @Bean
    ConsoleSocket consoleSocket(ObjectProvider<VmConsoles> consoles, ConsoleProperties properties,
                                ObjectMapper json, ConsoleSlots slots) {
        return new ConsoleSocket(consoles.getIfAvailable(), properties, json, slots);
    }

    @Bean
    VncSocket vncSocket(ObjectProvider<VmPortStreams> streams, ConsoleProperties properties, ConsoleSlots slots) {
        return new VncSocket(streams.getIfAvailable(), properties, slots);
    }

    @Bean
    SimpleUrlHandlerMapping consoleMapping(RangeController ranges, ConsoleSocket socket, VncSocket vnc,
                                           ObjectMapper json, CommandGateway commands, IdProvider ids,
                                           Accounts accounts, ConsoleProperties properties) {
        HandshakeWebSocketService handshake = new HandshakeWebSocketService();
        ConsoleAudit audit = new ConsoleAudit(commands, ids);
        ConsoleWatch watch = new ConsoleWatch(ranges, accounts, properties.recheck());
        ConsoleEndpoint endpoint = new ConsoleEndpoint(ranges, handshake, socket, json, audit, watch);
        VncEndpoint vncEndpoint = new VncEndpoint(ranges, handshake, vnc, json, audit, watch);
        return new SimpleUrlHandlerMapping(Map.of(PATH, endpoint, VNC_PATH, vncEndpoint),
                Ordered.HIGHEST_PRECEDENCE);
    }
}

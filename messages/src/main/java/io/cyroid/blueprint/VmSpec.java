package io.cyroid.blueprint;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One VM. {@code routes} are static routes set in its routing table; {@code forwarding}: true makes it a router or
 * firewall (IP forwarding on, and the right to manage its own firewall rules); {@code console}: a graphical console
 * (VNC) it serves, null for the terminal alone. They are left out of the JSON form when unused, so blueprints that do
 * not use them serialise as they always did, and stored ones without them read back as null.
 */
public record VmSpec(String name, String image, String hostname, List<InterfaceSpec> interfaces,
                     Map<String, String> env, List<String> command,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RouteSpec> routes,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Boolean forwarding,
                     @JsonInclude(JsonInclude.Include.NON_NULL) ConsoleSpec console) {

    public VmSpec {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        env = env == null ? Map.of() : Map.copyOf(env);
        command = command == null ? List.of() : List.copyOf(command);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /** A VM with no routes of its own and no forwarding, as every VM was before they existed. */
    public VmSpec(String name, String image, String hostname, List<InterfaceSpec> interfaces,
                  Map<String, String> env, List<String> command) {
        this(name, image, hostname, interfaces, env, command, null, null, null);
    }

    /** A VM without a graphical console, as every VM was before consoles existed. */
    public VmSpec(String name, String image, String hostname, List<InterfaceSpec> interfaces,
                  Map<String, String> env, List<String> command, List<RouteSpec> routes, Boolean forwarding) {
        this(name, image, hostname, interfaces, env, command, routes, forwarding, null);
    }

    /** True if the VM forwards packets between its networks; absent means no. */
    public boolean forwards() {
        return Boolean.TRUE.equals(forwarding);
    }
}

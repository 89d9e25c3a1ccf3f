package io.cyroid.blueprint;

import java.util.List;
import java.util.Map;

public record VmSpec(String name, String image, String hostname, List<InterfaceSpec> interfaces,
                     Map<String, String> env, List<String> command) {

    public VmSpec {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        env = env == null ? Map.of() : Map.copyOf(env);
        command = command == null ? List.of() : List.copyOf(command);
    }
}

package io.cyroid.blueprint;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A VM's graphical console: {@code type} names the protocol (only {@value #VNC} so far), {@code port} the TCP port it
 * listens on inside the VM, {@value #DEFAULT_PORT} when the blueprint leaves it out. Cyroid reaches the port from
 * inside the VM's network namespace, so the server may listen on the VM's loopback only. A VM without one has the
 * terminal console alone. The type stays text here so that an unknown one is refused by the validator, naming the
 * field, rather than by the parser as "not a text value".
 */
public record ConsoleSpec(String type, Integer port) {

    public static final String VNC = "vnc";
    public static final int DEFAULT_PORT = 5900;

    public ConsoleSpec {
        port = port == null ? DEFAULT_PORT : port;
    }

    /** Not a property: the JSON form is type and port only. */
    @JsonIgnore
    public boolean isVnc() {
        return VNC.equals(type);
    }
}

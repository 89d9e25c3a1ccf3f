package io.cyroid.blueprint;

/**
 * A static route a VM gets in its own routing table: traffic for {@code to} (a CIDR; {@code 0.0.0.0/0} is the
 * default route) goes to the router at {@code via}, which must be on a network the VM is attached to. Set from
 * outside the VM when it starts, so the VM itself needs no right to change its routes.
 */
public record RouteSpec(String to, String via) {
}

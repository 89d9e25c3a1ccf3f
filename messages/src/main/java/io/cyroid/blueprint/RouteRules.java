package io.cyroid.blueprint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rules for one VM's static routes, kept apart from {@link BlueprintValidator}'s other checks. A route is
 * only useful if its router is a neighbour: {@code via} must lie on a network the VM is attached to, or the kernel
 * refuses it ("Nexthop has invalid gateway") at deployment, long after the request was accepted.
 */
final class RouteRules {

    /** Each route is one command while the VM starts; far more than any topology needs, far below a slow start. */
    static final int MAX_ROUTES_PER_VM = 32;

    /** A network the VM is attached to, as far as it is valid: null parts were reported elsewhere. */
    record Attached(String network, Ipv4Cidr subnet, Long gateway, boolean internet, Long ownIp) {
    }

    private RouteRules() {
    }

    static List<Violation> check(String vmField, List<RouteSpec> routes, List<Attached> attached) {
        List<Violation> out = new ArrayList<>();
        if (routes == null || routes.isEmpty()) {
            return out;
        }
        if (routes.size() > MAX_ROUTES_PER_VM) {
            out.add(new Violation(vmField + ".routes", "at most " + MAX_ROUTES_PER_VM + " routes are allowed per VM;"
                    + " this VM has " + routes.size()));
        }
        Map<Ipv4Cidr, Integer> seen = new HashMap<>();
        for (int r = 0; r < routes.size(); r++) {
            String fr = vmField + ".routes[" + r + "]";
            RouteSpec route = routes.get(r);
            if (route == null) {
                out.add(new Violation(fr, "route must not be null"));
                continue;
            }
            Ipv4Cidr to = to(fr + ".to", route.to(), out);
            if (to != null) {
                Integer first = seen.putIfAbsent(to, r);
                if (first != null) {
                    out.add(new Violation(fr + ".to", "a route to " + to + " is already given (" + vmField
                            + ".routes[" + first + "])"));
                }
            }
            via(fr + ".via", route.via(), attached, out);
        }
        return out;
    }

    private static Ipv4Cidr to(String field, String value, List<Violation> out) {
        if (value == null || value.isBlank()) {
            out.add(new Violation(field, "to is required (a CIDR such as 172.16.5.0/28, or 0.0.0.0/0 for the"
                    + " default route)"));
            return null;
        }
        try {
            Ipv4Cidr cidr = Ipv4Cidr.parse(value);
            if (cidr.hasHostBits()) {
                out.add(new Violation(field, "to " + BlueprintValidator.quote(value) + " has host bits set; did you"
                        + " mean " + cidr.normalized() + "?"));
                return null;
            }
            return cidr;
        } catch (IllegalArgumentException e) {
            out.add(new Violation(field, "to " + BlueprintValidator.quote(value) + ": " + e.getMessage()));
            return null;
        }
    }

    private static void via(String field, String value, List<Attached> attached, List<Violation> out) {
        if (value == null || value.isBlank()) {
            out.add(new Violation(field, "via is required (the address of a router on one of the VM's networks)"));
            return;
        }
        long via;
        try {
            via = Ipv4Cidr.parseAddress(value);
        } catch (IllegalArgumentException e) {
            out.add(new Violation(field, "via " + BlueprintValidator.quote(value) + ": " + e.getMessage()));
            return;
        }
        for (Attached net : attached) {
            if (net.subnet() == null || !net.subnet().contains(via)) {
                continue;
            }
            if (via == net.subnet().networkAddress() || via == net.subnet().broadcastAddress()) {
                out.add(new Violation(field, "via " + value + " is not a host address of " + net.subnet()));
            } else if (net.ownIp() != null && net.ownIp() == via) {
                out.add(new Violation(field, "via " + value + " is this VM's own address on network "
                        + BlueprintValidator.quote(net.network()) + "; name the router's address"));
            } else if (net.gateway() != null && net.gateway() == via && !net.internet()) {
                // the gateway is the DinD's own bridge: it routes nowhere but out, and only for internet networks
                out.add(new Violation(field, "via " + value + " is the gateway of network "
                        + BlueprintValidator.quote(net.network()) + ", which has no way out of the range; route"
                        + " via a router VM (forwarding: true) instead"));
            }
            return;
        }
        String known = attached.stream().filter(a -> a.subnet() != null)
                .map(a -> a.network() + " " + a.subnet()).collect(Collectors.joining(", "));
        out.add(new Violation(field, "via " + value + " is not on a network this VM is attached to"
                + (known.isEmpty() ? "" : " (" + known + ")")));
    }
}

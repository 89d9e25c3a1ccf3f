package io.cyroid.blueprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Address ranges no blueprint network may overlap. Some never work as a range network (loopback, link-local,
 * multicast, "this network", the reserved class E); the host's own networks are worse: a DinD whose inner bridge
 * holds an address of {@code cyroid-ranges} answered ARP for it there and took over other ranges' traffic (issue 7).
 * The management subnets come from the server's configuration, so the API builds this with
 * {@link #withManagement}; {@link #DEFAULTS} assumes the default ones.
 */
public record ReservedSubnets(List<Reserved> entries) {

    /** One refused range and why, in words for the person who wrote the blueprint. */
    public record Reserved(Ipv4Cidr cidr, String why) {
    }

    /** Ranges refused on every server, whatever its configuration. */
    public static final List<Reserved> ALWAYS = List.of(
            reserved("0.0.0.0/8", "\"this network\" (0.0.0.0/8)"),
            reserved("127.0.0.0/8", "loopback (127.0.0.0/8)"),
            reserved("169.254.0.0/16", "link-local (169.254.0.0/16)"),
            reserved("224.0.0.0/4", "multicast (224.0.0.0/4)"),
            reserved("240.0.0.0/4", "reserved (240.0.0.0/4)"));

    public static final String DEFAULT_MGMT_SUBNET = "172.30.0.0/24";
    public static final String DEFAULT_RANGES_SUBNET = "172.30.1.0/24";

    /** The fixed ranges and the default management subnets. */
    public static final ReservedSubnets DEFAULTS = withManagement(DEFAULT_MGMT_SUBNET, DEFAULT_RANGES_SUBNET);

    public ReservedSubnets {
        entries = List.copyOf(entries);
    }

    /**
     * The fixed ranges plus this server's management networks.
     *
     * @throws IllegalArgumentException when a subnet is not an IPv4 CIDR (a configuration error: stop the server)
     */
    public static ReservedSubnets withManagement(String mgmtSubnet, String rangesSubnet) {
        List<Reserved> all = new ArrayList<>(ALWAYS);
        all.add(reserved(mgmtSubnet, "the management network (" + mgmtSubnet + ", cyroid-mgmt)"));
        all.add(reserved(rangesSubnet, "the host network of the ranges (" + rangesSubnet + ", cyroid-ranges)"));
        return new ReservedSubnets(all);
    }

    /** Why this subnet may not be used, or empty when it may. */
    public Optional<String> clash(Ipv4Cidr subnet) {
        return entries.stream().filter(r -> r.cidr().overlaps(subnet)).findFirst()
                .map(r -> "subnet " + subnet + " overlaps " + r.why() + ", which a range network may not use");
    }

    private static Reserved reserved(String cidr, String why) {
        return new Reserved(Ipv4Cidr.parse(cidr).normalized(), why);
    }
}

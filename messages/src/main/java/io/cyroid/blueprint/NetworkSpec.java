package io.cyroid.blueprint;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One network of a range. {@code internet}: true gives it a way out of the range through its DinD's NAT (a default
 * route for its VMs); absent or false, the network has no route out, which is what almost every range wants.
 */
public record NetworkSpec(String name, String subnet, String gateway,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Boolean internet) {

    /** A network with no way out, as every network was before {@code internet} existed. */
    public NetworkSpec(String name, String subnet, String gateway) {
        this(name, subnet, gateway, null);
    }

    /** True if the network may leave the range; absent means no. */
    public boolean leavesRange() {
        return Boolean.TRUE.equals(internet);
    }
}

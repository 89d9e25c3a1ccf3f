package io.cyroid.provisioning.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cyroid.blueprint.RouteSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands RangeRouting runs in a DinD, without a DinD. */
class RangeRoutingTest {

    @Test
    void theWallsAreOneAtomicChainJumpedToOnceFromDockerUser() {
        String script = RangeRouting.wallsScript(List.of("172.30.0.0/24", "10.0.0.0/8"));
        assertThat(script).contains("iptables-restore --noflush",
                "-F CYROID-RANGE\n-A CYROID-RANGE -m physdev --physdev-is-bridged -j ACCEPT\n",
                "-A CYROID-RANGE ! -o br-+ -d 172.30.0.0/24 -j DROP\n",
                "-A CYROID-RANGE ! -o br-+ -d 10.0.0.0/8 -j DROP\n",
                "iptables -C DOCKER-USER -j CYROID-RANGE 2>/dev/null || iptables -I DOCKER-USER -j CYROID-RANGE");
        // the bridged-frames exception comes before any drop
        assertThat(script.indexOf("physdev")).isLessThan(script.indexOf("-j DROP"));
    }

    @Test
    void aVmLosesDockersDefaultRouteAndGetsItsOwn() {
        assertThat(RangeRouting.routesScript(null, List.of(new RouteSpec("10.2.0.0/24", "10.1.0.254"))))
                .isEqualTo("set -e\nwhile ip route del default 2>/dev/null; do :; done\n"
                        + "ip route replace 10.2.0.0/24 via 10.1.0.254\n");
        assertThat(RangeRouting.routesScript("10.3.0.1", List.of(new RouteSpec("0.0.0.0/0", "10.3.0.254"))))
                .endsWith("ip route replace default via 10.3.0.1\nip route replace default via 10.3.0.254\n");
    }

    @Test
    void routesTravelInALabelAndComeBackTheSame() {
        List<RouteSpec> routes = List.of(new RouteSpec("10.2.0.0/24", "10.1.0.254"), new RouteSpec("0.0.0.0/0", "10.1.0.253"));
        assertThat(RangeRouting.routesLabel(routes)).isEqualTo("10.2.0.0/24 10.1.0.254,0.0.0.0/0 10.1.0.253");
        assertThat(RangeRouting.fromLabel(RangeRouting.routesLabel(routes))).isEqualTo(routes);
        assertThat(RangeRouting.fromLabel(null)).isEmpty();
    }

    @Test
    void onlyDottedQuadsReachTheShell() {
        assertThatThrownBy(() -> RangeRouting.routesScript(null, List.of(new RouteSpec("10.0.0.0/8;reboot", "1.2.3.4"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RangeRouting.routesScript("$(reboot)", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

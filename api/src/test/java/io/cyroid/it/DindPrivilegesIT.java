package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.provisioning.docker.DindSecurity;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A deployed range's DinD in {@code capabilities} mode holds exactly the measured capability set (docs/security.md),
 * as the engine recorded it and as the kernel reports it from inside, and a dropped capability is really refused
 * there, while the same probes with rights it keeps succeed (so a refusal is not a broken probe).
 */
class DindPrivilegesIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);

    @DynamicPropertySource
    static void capabilitiesMode(DynamicPropertyRegistry registry) {
        // forced, so the check means the same on a host that would allow --privileged
        registry.add("cyroid.provisioning.dind-security-mode", () -> "capabilities");
    }

    @Test
    void theDindHoldsExactlyTheMeasuredCapabilitiesAndNoMore() throws Exception {
        String rangeId = api.requestRange(api.registerBlueprint(sampleBlueprint("it-dind-privileges")), "privileges");
        String dind = api.awaitStatus(rangeId, "DEPLOYED", TIMEOUT).get("dind").get("containerName").asText();

        HostConfig hostConfig = RealEngine.HOST.inspectContainerCmd(dind).exec().getHostConfig();
        assertThat(hostConfig.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(names(hostConfig.getCapDrop())).containsExactly("ALL");
        Set<String> expected = DindSecurity.CAPABILITIES.stream().map(Capability::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(names(hostConfig.getCapAdd())).isEqualTo(expected);
        assertThat(hostConfig.getDeviceCgroupRules()).as("Docker's default device list").isNullOrEmpty();

        // the kernel's view: the bounding and effective sets of the inner dockerd (pid 1), decoded by capsh
        Set<String> fromKernel = expected.stream().map(c -> "cap_" + c.toLowerCase())
                .collect(Collectors.toCollection(TreeSet::new));
        for (String field : new String[] {"CapBnd", "CapEff"}) {
            String hex = RealEngine.exec(dind, "sh", "-c", "awk '/^" + field + ":/ {print $2}' /proc/1/status")
                    .output().strip();
            // bits 0,1,3-8,10,12,13,18,21,27,29,31: the 16 of docs/security.md, written out independently
            assertThat(hex).as(field).isEqualTo("00000000a82435fb");
            String decoded = RealEngine.exec(dind, "capsh", "--decode=" + hex).output().strip();
            assertThat(new TreeSet<>(Arrays.asList(decoded.substring(decoded.indexOf('=') + 1).split(","))))
                    .as(field + " " + decoded).isEqualTo(fromKernel);
        }

        // SYS_NICE dropped: raising a priority is refused (with SYS_NICE the same command succeeds); lowering one
        // needs no right, so renice itself works
        assertThat(RealEngine.exec(dind, "sh", "-c", "renice -n -5 -p $$").exitCode()).as("renice -5").isNotZero();
        assertThat(RealEngine.exec(dind, "sh", "-c", "renice -n 5 -p $$").exitCode()).as("renice +5").isZero();
        // SYS_RESOURCE dropped: a hard limit cannot be raised, only lowered
        String raise = "h=$(ulimit -Hn); ulimit -Hn $((h + 1))";
        String lower = "h=$(ulimit -Hn); ulimit -n $((h - 1))";
        assertThat(RealEngine.exec(dind, "bash", "-c", raise).exitCode()).as("raise the hard limit").isNotZero();
        assertThat(RealEngine.exec(dind, "bash", "-c", lower).exitCode()).as("lower the hard limit").isZero();
        // kept: MKNOD and SYS_ADMIN (a new network namespace) work
        assertThat(RealEngine.exec(dind, "sh", "-c", "mknod /tmp/probe-null c 1 3 && rm /tmp/probe-null")
                .exitCode()).as("mknod").isZero();
        assertThat(RealEngine.exec(dind, "unshare", "--net", "true").exitCode()).as("unshare --net").isZero();

        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
    }

    private static Set<String> names(Capability[] capabilities) {
        return capabilities == null ? Set.of() : Arrays.stream(capabilities).map(Capability::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}

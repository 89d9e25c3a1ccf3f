package io.cyroid.provisioning.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Network;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The walls' names and script, without an engine; WallsIT proves what they do on the real one. */
class HostWallsTest {

    static Network network(String id, Map<String, String> options) {
        return new ObjectMapper().convertValue(Map.of("Id", id, "Options", options), Network.class);
    }

    @Test
    void aNetworksBridgeIsDockersDefaultNameUnlessTheNetworkNamesIt() {
        String id = "e254874de1b85287b6e371072134ba469b02ac9e1447e2fce3380b96763584df";
        assertThat(HostWalls.bridgeOf(network(id, Map.of()))).isEqualTo("br-e254874de1b8");
        assertThat(HostWalls.bridgeOf(network(id, Map.of(HostWalls.BRIDGE_NAME_OPTION, "cyranges"))))
                .isEqualTo("cyranges");
    }

    @Test
    void theScriptShipsWithTheServerAndTouchesOnlyItsOwnChains() {
        String script = HostWalls.script();
        assertThat(script).startsWith("#!/usr/bin/env bash").contains(":CYROID-FORWARD - [0:0]")
                .contains(":CYROID-INPUT - [0:0]").contains("--noflush");
        // every rule it appends goes into its own chains, commented (the jumps to them are inserted, also commented)
        script.lines().filter(line -> line.startsWith("-A ")).forEach(rule ->
                assertThat(rule).startsWith("-A CYROID-").contains("--comment \"cyroid"));
    }

    @Test
    void aDindAnswersArpOnlyForTheAddressesOfTheInterfaceAsked() {
        assertThat(DockerRangeEngine.DIND_SYSCTLS).containsEntry("net.ipv4.conf.all.arp_ignore", "1")
                .containsEntry("net.ipv4.conf.all.arp_announce", "2");
    }
}

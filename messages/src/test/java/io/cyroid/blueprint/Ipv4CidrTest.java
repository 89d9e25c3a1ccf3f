package io.cyroid.blueprint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ipv4CidrTest {

    @Test
    void parsesAndComputesRange() {
        Ipv4Cidr c = Ipv4Cidr.parse("10.0.1.0/24");
        assertThat(Ipv4Cidr.format(c.networkAddress())).isEqualTo("10.0.1.0");
        assertThat(Ipv4Cidr.format(c.broadcastAddress())).isEqualTo("10.0.1.255");
        assertThat(c.contains("10.0.1.77")).isTrue();
        assertThat(c.contains("10.0.2.1")).isFalse();
        assertThat(c.contains("garbage")).isFalse();
        assertThat(c.hasHostBits()).isFalse();
        assertThat(c).hasToString("10.0.1.0/24");
    }

    @Test
    void hostBitsKeptAndNormalized() {
        Ipv4Cidr c = Ipv4Cidr.parse("10.0.1.5/24");
        assertThat(c.hasHostBits()).isTrue();
        assertThat(c.normalized()).hasToString("10.0.1.0/24");
    }

    @Test
    void extremePrefixes() {
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").contains("255.255.255.255")).isTrue();
        assertThat(Ipv4Cidr.format(Ipv4Cidr.parse("255.255.255.255/32").broadcastAddress())).isEqualTo("255.255.255.255");
        assertThat(Ipv4Cidr.format(Ipv4Cidr.parse("192.168.0.0/30").broadcastAddress())).isEqualTo("192.168.0.3");
    }

    @Test
    void overlaps() {
        Ipv4Cidr lan = Ipv4Cidr.parse("10.0.1.0/24");
        assertThat(lan.overlaps(Ipv4Cidr.parse("10.0.0.0/16"))).isTrue();
        assertThat(lan.overlaps(Ipv4Cidr.parse("10.0.1.128/25"))).isTrue();
        assertThat(lan.overlaps(Ipv4Cidr.parse("10.0.2.0/24"))).isFalse();
        assertThat(lan.overlaps(Ipv4Cidr.parse("10.0.0.0/24"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.", ".1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1.2.3.-1", " 1.2.3.4",
            "1.2.3.4 ", "0x1.2.3.4", "1.2.3.４", "1111.2.3.4"})
    void strictAddressParsing(String text) {
        assertThat(Ipv4Cidr.isAddress(text)).isFalse();
        assertThatThrownBy(() -> Ipv4Cidr.parseAddress(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/08", "1.2.3.4/-1", "1.2.3.4/2 4", "1.2.3/24"})
    void strictCidrParsing(String text) {
        assertThatThrownBy(() -> Ipv4Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leadingZeroExplained() {
        assertThatThrownBy(() -> Ipv4Cidr.parseAddress("10.0.1.010")).hasMessageContaining("leading zero");
    }
}

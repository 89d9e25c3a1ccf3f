package io.cyroid.api.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cyroid.blueprint.BlueprintLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class BlueprintLimitsPropertiesTest {

    static BlueprintLimitsProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("cyroid.blueprint", Bindable.of(BlueprintLimitsProperties.class));
    }

    @Test
    void defaultsAreTheLaptopDefaults() {
        assertThat(bind(Map.of()).limits()).isEqualTo(BlueprintLimits.DEFAULTS);
    }

    @Test
    void eachLimitIsBound() {
        assertThat(bind(Map.of("cyroid.blueprint.max-vms", "300", "cyroid.blueprint.max-networks", "20",
                "cyroid.blueprint.max-interfaces-per-vm", "4")).limits()).isEqualTo(new BlueprintLimits(300, 20, 4));
    }

    @Test
    void aLimitBelowOneIsRefused() {
        BlueprintLimitsProperties zero = bind(Map.of("cyroid.blueprint.max-vms", "0"));
        assertThatThrownBy(zero::limits).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max VMs 0");
    }
}

package io.cyroid.api.blueprint;

import io.cyroid.blueprint.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Registers the sample blueprints at start when asked to (scripts/run.sh does): {@code corp-lan} (two busybox VMs)
 * and {@code desktop-lab} (a graphical desktop VM with a VNC console, and a busybox VM). Each unless a blueprint of
 * its name exists,
 * retired or not: so a restart registers nothing new. After {@link LegacyBlueprints}, so a sample of the read store
 * of before is carried over rather than registered twice; the name check waits for the projection to catch up.
 */
@Component
@Order(LegacyBlueprints.ORDER + 1)
@ConditionalOnProperty(name = "cyroid.sample-blueprint", havingValue = "true")
public class SampleBlueprint implements ApplicationRunner {

    static final List<String> RESOURCES = List.of("samples/corp-lan.yaml", "samples/desktop-lab.yaml");
    private static final Logger log = LoggerFactory.getLogger(SampleBlueprint.class);

    private final BlueprintStore store;

    public SampleBlueprint(BlueprintStore store) {
        this.store = store;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        for (String resource : RESOURCES) {
            register(resource);
        }
    }

    private void register(String resource) throws IOException {
        Blueprint sample = BlueprintParser.fromYaml(new ClassPathResource(resource)
                .getContentAsString(StandardCharsets.UTF_8));
        var existing = store.findByName(sample.name());
        if (existing.isPresent()) {
            log.info("sample blueprint {} is registered as {}", sample.name(), existing.get().id());
            return;
        }
        var stored = store.register(sample, "system").block();
        log.info("sample blueprint {} registered as {}", sample.name(), stored.id());
    }
}

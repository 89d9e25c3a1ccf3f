package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import io.cyroid.messages.OrphanRemoved;
import io.cyroid.provisioning.ProvisioningProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An orphan with Cyroid's labels, made by this installation, is removed by the periodic pass once older than the
 * grace period, and its removal is recorded in the event store as {@code OrphanRemoved} by {@code system}; one made
 * by another installation on the same engine is left alone.
 */
class OrphanRemovalIT extends ServerOnRealEngine {

    static final Duration GRACE = Duration.ofSeconds(3);
    static final Duration INTERVAL = Duration.ofSeconds(2);

    @DynamicPropertySource
    static void reconcileQuickly(DynamicPropertyRegistry registry) {
        registry.add("cyroid.reconcile.interval", () -> INTERVAL.toMillis() + "ms");
        registry.add("cyroid.reconcile.grace", () -> GRACE.toMillis() + "ms");
    }

    @Autowired
    ProvisioningProperties provisioning;

    @Autowired
    EventStore eventStore;

    @Test
    void anOrphanOfThisInstallationIsRemovedAfterTheGracePeriodAndRecorded() throws Exception {
        // the server's own socket folder (the property's supplier makes a new folder each time it is read)
        Path socketDir = provisioning.getSocketDir().toAbsolutePath().normalize();
        String orphan = UUID.randomUUID().toString();
        String foreign = UUID.randomUUID().toString(); // as if made by another Cyroid on the same engine
        api.requested.add(orphan); // cleaned up after the test whatever happens
        api.requested.add(foreign);
        // made by this installation: its range's socket folder is in this server's socket folder
        Files.createDirectories(socketDir.resolve(orphan));
        String volume = "cyroid-range-" + orphan + "-docker";
        RealEngine.HOST.createVolumeCmd().withName(volume).withLabels(ReconciliationIT.labels(orphan, "dind")).exec();
        String container = RealEngine.HOST.createContainerCmd("cyroid/vm-busybox:latest")
                .withName("cyroid-it-orphan-" + orphan).withLabels(ReconciliationIT.labels(orphan, "vm"))
                .withCmd("sleep", "infinity").withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        RealEngine.HOST.startContainerCmd(container).exec();
        String foreignVolume = "cyroid-range-" + foreign + "-docker";
        RealEngine.HOST.createVolumeCmd().withName(foreignVolume).withLabels(ReconciliationIT.labels(foreign, "dind")).exec();
        long created = System.nanoTime();

        await().atMost(GRACE.plus(INTERVAL.multipliedBy(3)).plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> RealEngine.assertNothingLeft(orphan));
        long took = Duration.ofNanos(System.nanoTime() - created).toMillis();
        System.out.printf("orphan container and volume created -> removed in %d ms (grace %d ms, pass every %d ms)%n",
                took, GRACE.toMillis(), INTERVAL.toMillis());
        assertThat(took).as("not before the grace period").isGreaterThanOrEqualTo(GRACE.toMillis());
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(socketDir.resolve(orphan)));

        List<TrackedEventMessage<?>> removals = await().atMost(Duration.ofSeconds(10))
                .until(() -> orphanRemovals(orphan), list -> list.size() == 2);
        assertThat(removals).extracting(e -> ((OrphanRemoved) e.getPayload()).kind())
                .containsExactlyInAnyOrder("container", "volume");
        assertThat(removals).allSatisfy(e -> {
            assertThat(e.getMetaData().get("user")).isEqualTo("system");
            assertThat(((OrphanRemoved) e.getPayload()).reason()).startsWith("no range with this id exists");
        });
        assertThat(removals).extracting(e -> ((OrphanRemoved) e.getPayload()).name())
                .contains(volume, "cyroid-it-orphan-" + orphan);

        // another installation's object is never this server's to remove, however old
        assertThat(RealEngine.HOST.inspectVolumeCmd(foreignVolume).exec().getName()).isEqualTo(foreignVolume);
        RealEngine.HOST.removeVolumeCmd(foreignVolume).exec();
        RealEngine.assertNothingLeft(foreign);
        try {
            RealEngine.HOST.inspectContainerCmd(container).exec();
            throw new AssertionError("the orphan container is still there");
        } catch (NotFoundException expected) {
            // removed
        }
    }

    private List<TrackedEventMessage<?>> orphanRemovals(String rangeId) {
        List<TrackedEventMessage<?>> found = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                if (event.getPayload() instanceof OrphanRemoved removed && rangeId.equals(removed.rangeId())) {
                    found.add(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return found;
    }
}

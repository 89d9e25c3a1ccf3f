package io.cyroid.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's bookkeeping on a fake engine: no Docker. */
class WarmPoolTest {

    final FakePoolEngine engine = new FakePoolEngine();
    final ProvisioningProperties.PoolSettings settings = new ProvisioningProperties.PoolSettings();
    final AtomicInteger next = new AtomicInteger();
    final Set<String> requested = ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicBoolean deploying = new java.util.concurrent.atomic.AtomicBoolean();
    WarmPool pool;

    WarmPool pool(int size) {
        settings.setSize(size);
        settings.setGoldenImages(List.of("cyroid/vm-busybox:latest"));
        pool = new WarmPool(engine, settings, () -> "r" + next.incrementAndGet(), requested::contains,
                deploying::get, Clock.systemUTC());
        return pool;
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void fillsUpHandsEachIdOutOnceAndRefills() {
        pool(2).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().ready() == 2);
        assertThat(pool.status().shared().state()).isEqualTo("READY");
        String first = pool.take(null).orElseThrow();
        String second = pool.take(null).orElseThrow();
        assertThat(first).isNotEqualTo(second);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().ready() == 2);
        assertThat(pool.status().waiting()).extracting(PoolStatus.Waiting::rangeId)
                .doesNotContain(first, second);
        assertThat(pool.status().taken()).isEqualTo(2);
    }

    @Test
    void aFailedRequestGivesTheIdBack() {
        pool(1).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().ready() == 1);
        String id = pool.take(null).orElseThrow();
        pool.giveBack(id);
        assertThat(pool.take(null)).contains(id);
    }

    @Test
    void anEmptyPoolOrAPoolOfSizeZeroHandsOutNothing() {
        pool(0).start();
        assertThat(pool.take(null)).isEmpty();
        assertThat(pool.status().enabled()).isFalse();
        assertThat(engine.started).isEmpty();
    }

    @Test
    void theCapacityLimitsThePool() {
        engine.dinds = 9;
        settings.setMaxDinds(10);
        pool(3).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().ready() == 1);
        assertThat(pool.status().capacity().maxDinds()).isEqualTo(10);
        assertThat(engine.started).hasSize(1);
    }

    @Test
    void afterARestartUnclaimedDindsWaitAgainAndClaimedOnesStayTheirRanges() {
        engine.existing.addAll(List.of("old-free", "old-taken", "old-dead"));
        requested.add("old-taken");
        engine.dead.add("old-dead");
        pool(2).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().ready() == 2);
        assertThat(pool.status().waiting()).extracting(PoolStatus.Waiting::rangeId).contains("old-free")
                .doesNotContain("old-taken", "old-dead");
        assertThat(engine.discarded).contains("old-dead").doesNotContain("old-taken");
    }

    @Test
    void anImageADeployUsesJoinsTheSharedCopyAndOlderWaitingDindsAreReplaced() {
        pool(2).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().ready() == 2);
        List<String> before = pool.status().waiting().stream().map(PoolStatus.Waiting::rangeId).toList();
        pool.wants(List.of("cyroid/vm-busybox:latest", "cyroid/vm-large:latest"));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().shared().images()
                .contains("cyroid/vm-large:latest") && pool.status().ready() == 2
                && pool.status().waiting().stream().noneMatch(w -> before.contains(w.rangeId())));
        assertThat(engine.discarded).containsAll(before);
        pool.wants(List.of("cyroid/absent:1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().shared().missing()
                .contains("cyroid/absent:1"));
        int shares = engine.shares.get();
        pool.wants(List.of("cyroid/absent:1"));
        assertThat(engine.shares.get()).as("a missing image is not asked for again").isEqualTo(shares);
    }

    @Test
    void theRefillWaitsUntilTheEngineHasNoDeployWork() throws Exception {
        pool(1).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().ready() == 1);
        deploying.set(true); // the deploy that takes the warm DinD
        pool.take(null).orElseThrow();
        await().during(WarmPool.IDLE_CHECK.multipliedBy(3)).atMost(Duration.ofSeconds(3))
                .until(() -> engine.started.size() == 1); // no warm DinD starts during the deploy
        deploying.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.status().ready() == 1);
        assertThat(engine.started).hasSize(2);
    }

    static class FakePoolEngine implements PoolEngine {
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<String> discarded = new CopyOnWriteArrayList<>();
        final List<String> existing = new CopyOnWriteArrayList<>();
        final Set<String> dead = ConcurrentHashMap.newKeySet();
        final AtomicInteger shares = new AtomicInteger();
        volatile int dinds;

        @Override
        public SharedImages shareImages(List<String> images) {
            shares.incrementAndGet();
            List<String> present = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            images.forEach(i -> (i.contains("absent") ? missing : present).add(i));
            return new SharedImages("golden-" + String.join("+", present).hashCode(), present, missing);
        }

        @Override
        public void startWarmDind(String rangeId) {
            started.add(rangeId);
            dinds++;
        }

        @Override
        public List<String> warmDinds() {
            return List.copyOf(existing);
        }

        @Override
        public boolean answers(String rangeId) {
            return !dead.contains(rangeId);
        }

        @Override
        public int dindCount() {
            return dinds;
        }

        @Override
        public void discard(String rangeId) {
            discarded.add(rangeId);
        }
    }
}

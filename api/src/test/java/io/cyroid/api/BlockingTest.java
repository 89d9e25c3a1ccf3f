package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** A client that goes away must not take the embedded stores with it. */
class BlockingTest {

    @Test
    void aCancelledCallIsNeverInterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        Disposable call = Blocking.call(() -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            finished.set(true);
            return "done";
        }).subscribe();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        call.dispose(); // the client went away
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).untilTrue(finished);
        assertThat(interrupted).as("the worker thread was interrupted").isFalse();
    }

    @Test
    void theAsyncFileStoreSurvivesAnInterruptedWrite() throws Exception {
        assertThat(survivesAnInterruptedWrite("async:")).isTrue();
    }

    /** The control: the plain file store is closed by the same interrupt (what took the event store down). */
    @Test
    void thePlainFileStoreDoesNot() throws Exception {
        assertThat(survivesAnInterruptedWrite("")).isFalse();
    }

    /** An interrupt while a page is read from the file (what the crashed server's log shows), then more work. */
    private static boolean survivesAnInterruptedWrite(String prefix) throws Exception {
        Path file = Files.createTempDirectory("cyroid-h2").resolve("store.mv");
        try (MVStore store = new MVStore.Builder().fileName(prefix + file).open()) {
            MVMap<Integer, String> map = store.openMap("m");
            for (int i = 0; i < 2000; i++) {
                map.put(i, "x".repeat(256));
            }
            store.commit();
        }
        MVStore store = new MVStore.Builder().fileName(prefix + file).open();
        try {
            MVMap<Integer, String> map = store.openMap("m");
            Thread.currentThread().interrupt(); // as Axon's janitor or a cancelled call would
            try {
                map.get(1999); // not cached yet: read from the file
            } catch (RuntimeException closedByTheInterrupt) {
                // the plain store fails here
            } finally {
                Thread.interrupted();
            }
            map.put(-1, "after");
            store.commit();
            return !store.isClosed() && "after".equals(map.get(-1)) && map.get(1000) != null;
        } catch (RuntimeException e) {
            return false;
        } finally {
            store.closeImmediately();
        }
    }
}

package io.cyroid.api;

import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Axon's command and query buses run handlers on the caller's thread, and the stores are blocking: from WebFlux
 * everything that touches them goes through here, onto the bounded-elastic pool, never the event loop.
 *
 * <p>A call whose client goes away is cancelled, but its thread is never interrupted: an interrupt in the middle of
 * a file write makes the JDK close the file channel, and the embedded H2 stores then close the whole database
 * ("The database has been closed"), for every request after it. Measured: 200 GET/s whose slow tail the client
 * gave up on took the embedded event store down. Reactor's own bounded-elastic scheduler interrupts on cancel; an
 * executor-backed scheduler cannot, so the work is handed to the same pool through one.
 */
public final class Blocking {

    /** Bounded-elastic threads without interrupt-on-cancel. */
    public static final Scheduler SCHEDULER = Schedulers.fromExecutor(
            task -> Schedulers.boundedElastic().schedule(task));

    private Blocking() {
    }

    public static <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(SCHEDULER);
    }
}

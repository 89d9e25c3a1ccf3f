package io.cyroid.api;

import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Axon's command and query buses run handlers on the caller's thread, and the stores are blocking: from WebFlux
 * everything that touches them goes through here, onto the bounded-elastic pool, never the event loop.
 */
public final class Blocking {
    private Blocking() {
    }

    public static <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }
}

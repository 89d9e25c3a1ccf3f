package io.cyroid.api.console;

import io.cyroid.api.Blocking;
import io.cyroid.api.ForbiddenException;
import io.cyroid.api.NotFoundException;
import io.cyroid.api.range.RangeController;
import io.cyroid.api.user.Accounts;
import java.security.Principal;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An open console stays allowed only as long as its user may still use the range: every {@code recheck} (10 s) the
 * rule of the upgrade is asked again, and a console whose user was unassigned from the range, lost it otherwise, or
 * whose account was removed is closed with code 4403 and why. Asked of the read model and the event store, both
 * shared, so it holds whichever API node made the change.
 */
final class ConsoleWatch {

    static final int REVOKED = 4403;
    private static final Logger log = LoggerFactory.getLogger(ConsoleWatch.class);

    private final RangeController ranges;
    private final Accounts accounts;
    private final Duration every;

    ConsoleWatch(RangeController ranges, Accounts accounts, Duration every) {
        this.ranges = ranges;
        this.accounts = accounts;
        this.every = every;
    }

    /** Before the upgrade: whether the user is an account here (the built-in admin and OIDC users are not). */
    Mono<Watched> begin(ConsoleTarget target, Principal user) {
        return Blocking.call(() -> accounts.find(user.getName()).isPresent())
                .map(account -> new Watched(target, user, account));
    }

    final class Watched {
        private final ConsoleTarget target;
        private final Principal user;
        private final boolean account;

        Watched(ConsoleTarget target, Principal user, boolean account) {
            this.target = target;
            this.user = user;
            this.account = account;
        }

        /**
         * The close status once the user may no longer have the console (4403 and why); never while they may. The
         * socket races it with its other ends, so it is cancelled with the console.
         */
        Mono<CloseStatus> revoked() {
            return Flux.interval(every, every, Schedulers.parallel())
                    .concatMap(tick -> revocation())
                    .next()
                    .map(reason -> {
                        log.info("console of {} on VM {} of range {} closed: {}", target.user(), target.vm(),
                                target.rangeId(), reason);
                        return new CloseStatus(REVOKED, reason);
                    });
        }

        /** Why the console must close now; empty while it may stay (and when the stores cannot say). */
        Mono<String> revocation() {
            Mono<String> removed = account
                    ? Blocking.call(() -> accounts.find(user.getName()).isPresent())
                            .flatMap(present -> present ? Mono.empty() : Mono.just("access revoked: user removed"))
                    : Mono.empty();
            Mono<String> range = ranges.usable(target.rangeId(), user)
                    .then(Mono.<String>empty())
                    .onErrorResume(ForbiddenException.class,
                            e -> Mono.just("access revoked: no longer allowed to use this range"))
                    .onErrorResume(NotFoundException.class, e -> Mono.just("access revoked: the range is gone"));
            return removed.switchIfEmpty(range)
                    .onErrorResume(e -> {
                        log.debug("console watch of {} could not check: {}", target.user(), e.toString());
                        return Mono.empty();
                    });
        }
    }
}

package io.cyroid.security;

import io.cyroid.api.BasicCredentials;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Repeated wrong passwords slow their caller down, and only their caller: failures are counted per client address
 * and user name, and past {@code free-attempts} within {@code window} each further attempt of that pair waits before
 * it is checked (100 ms, doubling, at most {@code max-delay}). The wait is a timer, not a thread, and costs no hash;
 * another user, or the same user from another address, is not delayed. A success clears the count.
 */
@Component
@Order(SignInThrottle.ORDER)
public class SignInThrottle implements WebFilter {

    /** Before the audit of refused requests (-200) and Spring Security (-100). */
    public static final int ORDER = -300;
    static final int MAX_ENTRIES = 10_000;
    static final Duration FIRST_DELAY = Duration.ofMillis(100);

    private final int freeAttempts;
    private final Duration window;
    private final Duration maxDelay;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant last) {
    }

    @Autowired
    public SignInThrottle(@Value("${cyroid.security.sign-in-throttle.free-attempts:5}") int freeAttempts,
                          @Value("${cyroid.security.sign-in-throttle.window:15m}") Duration window,
                          @Value("${cyroid.security.sign-in-throttle.max-delay:5s}") Duration maxDelay) {
        this(freeAttempts, window, maxDelay, Clock.systemUTC());
    }

    SignInThrottle(int freeAttempts, Duration window, Duration maxDelay, Clock clock) {
        this.freeAttempts = freeAttempts;
        this.window = window;
        this.maxDelay = maxDelay;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String user = basicUser(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (user == null) {
            return chain.filter(exchange);
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        String key = (remote == null || remote.getAddress() == null ? "?" : remote.getAddress().getHostAddress())
                + "\u0000" + user;
        Duration delay = delayFor(key);
        Mono<Void> handled = chain.filter(exchange).doFinally(signal -> record(key,
                exchange.getResponse().getStatusCode()));
        return delay.isZero() ? handled : Mono.delay(delay).then(handled);
    }

    Duration delayFor(String key) {
        Failures known = failures.get(key);
        if (known == null || known.last().plus(window).isBefore(clock.instant())) {
            return Duration.ZERO;
        }
        int over = known.count() - freeAttempts;
        if (over < 0) {
            return Duration.ZERO;
        }
        Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(over, 16));
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    void record(String key, org.springframework.http.HttpStatusCode status) {
        if (status == null) {
            return;
        }
        if (status.value() != HttpStatus.UNAUTHORIZED.value()) {
            failures.remove(key);
            return;
        }
        if (failures.size() >= MAX_ENTRIES) {
            Instant expired = clock.instant().minus(window);
            failures.values().removeIf(f -> f.last().isBefore(expired));
            if (failures.size() >= MAX_ENTRIES) {
                failures.clear();
            }
        }
        Instant now = clock.instant();
        failures.merge(key, new Failures(1, now), (old, one) -> old.last().plus(window).isBefore(now)
                ? one : new Failures(old.count() + 1, now));
    }

    /** The claimed user name, bounded (it is a map key). */
    static String basicUser(String authorization) {
        String user = BasicCredentials.user(authorization);
        return user == null ? null : user.substring(0, Math.min(user.length(), 200));
    }
}

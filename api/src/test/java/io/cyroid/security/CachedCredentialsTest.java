package io.cyroid.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

class CachedCredentialsTest {

    final AtomicInteger checks = new AtomicInteger();
    Instant now = Instant.parse("2026-11-29T10:00:00Z");
    final Clock clock = new Clock() {
        public ZoneOffset getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId zone) { return this; }
        public Instant instant() { return now; }
    };
    final ReactiveAuthenticationManager slowCheck = request -> {
        checks.incrementAndGet();
        return "right".equals(request.getCredentials())
                ? Mono.just(UsernamePasswordAuthenticationToken.authenticated(request.getName(), null, java.util.List.of()))
                : Mono.error(new BadCredentialsException("Invalid Credentials"));
    };
    final CachedCredentials cached = new CachedCredentials(slowCheck, Duration.ofSeconds(60), clock);

    static Authentication basic(String user, String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    }

    @Test
    void rightCredentialsAreCheckedOncePerTtl() {
        assertThat(cached.authenticate(basic("admin", "right")).block().isAuthenticated()).isTrue();
        assertThat(cached.authenticate(basic("admin", "right")).block().getName()).isEqualTo("admin");
        assertThat(checks).hasValue(1);
        now = now.plusSeconds(61);
        cached.authenticate(basic("admin", "right")).block();
        assertThat(checks).as("checked again after the ttl").hasValue(2);
    }

    @Test
    void wrongPasswordsAreNeverRemembered() {
        cached.authenticate(basic("admin", "right")).block();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cached.authenticate(basic("admin", "wrong")).block())
                    .isInstanceOf(BadCredentialsException.class);
        }
        assertThat(checks).hasValue(4);
    }

    @Test
    void anotherUserWithTheSamePasswordIsCheckedOnItsOwn() {
        cached.authenticate(basic("admin", "right")).block();
        cached.authenticate(basic("other", "right")).block();
        assertThat(checks).hasValue(2);
    }

    @Test
    void aTtlOfZeroTurnsTheCacheOff() {
        CachedCredentials off = new CachedCredentials(slowCheck, Duration.ZERO, clock);
        off.authenticate(basic("admin", "right")).block();
        off.authenticate(basic("admin", "right")).block();
        assertThat(checks).hasValue(2);
    }

    @Test
    void aBurstWithTheSameCredentialsIsCheckedOnce() {
        reactor.core.publisher.Sinks.One<Authentication> slow = reactor.core.publisher.Sinks.one();
        ReactiveAuthenticationManager pending = request -> {
            checks.incrementAndGet();
            return slow.asMono();
        };
        CachedCredentials burst = new CachedCredentials(pending, Duration.ofSeconds(60), clock);
        java.util.List<Mono<Authentication>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(burst.authenticate(basic("admin", "right")));
        }
        java.util.List<Authentication> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        calls.forEach(call -> call.subscribe(results::add));
        slow.tryEmitValue(UsernamePasswordAuthenticationToken.authenticated("admin", null, java.util.List.of()));
        assertThat(results).hasSize(20);
        assertThat(checks).as("one hash for the whole burst").hasValue(1);
    }
}

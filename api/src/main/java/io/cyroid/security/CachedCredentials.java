package io.cyroid.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

/**
 * Remembers credentials that passed the password check for a short time, so a client sending the same Basic
 * credentials with every request pays the deliberately slow hash (bcrypt, about 0.1 s of CPU) once per {@code ttl}
 * instead of once per request: at a few hundred requests per second the hashing alone would take every core.
 * Only successful checks are remembered, keyed by an HMAC of user name and password under a key that lives in
 * this process only; a wrong password always goes through the full check.
 */
final class CachedCredentials implements ReactiveAuthenticationManager {

    static final int MAX_ENTRIES = 10_000;

    private final ReactiveAuthenticationManager delegate;
    private final Duration ttl;
    private final Clock clock;
    private final SecretKeySpec key;
    private final Map<String, Entry> verified = new ConcurrentHashMap<>();
    private final Map<String, Mono<Authentication>> inFlight = new ConcurrentHashMap<>();

    private record Entry(Authentication authentication, Instant expires) {
    }

    /** A removed user signs in no longer, not even with credentials checked a moment ago. */
    void forget(String username) {
        verified.values().removeIf(entry -> entry.authentication().getName().equals(username));
    }

    CachedCredentials(ReactiveAuthenticationManager delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public Mono<Authentication> authenticate(Authentication request) {
        if (ttl.isZero() || !(request instanceof UsernamePasswordAuthenticationToken)
                || !(request.getCredentials() instanceof String password)) {
            return delegate.authenticate(request);
        }
        String id = fingerprint(request.getName(), password);
        Instant now = clock.instant();
        Entry known = verified.get(id);
        if (known != null && known.expires().isAfter(now)) {
            return Mono.just(known.authentication());
        }
        // one check per credentials at a time: a burst of requests with the same credentials arriving before the
        // first check ends waits for that one instead of hashing once each (200 at once took 20 s of CPU)
        return inFlight.computeIfAbsent(id, key -> delegate.authenticate(request)
                .doOnNext(authenticated -> remember(key, authenticated))
                .doFinally(signal -> inFlight.remove(key))
                .cache());
    }

    private void remember(String id, Authentication authenticated) {
        if (verified.size() >= MAX_ENTRIES) {
            verified.values().removeIf(e -> !e.expires().isAfter(clock.instant()));
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
        }
        verified.put(id, new Entry(authenticated, clock.instant().plus(ttl)));
    }

    private String fingerprint(String user, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.cyroid.api.console;

import io.cyroid.api.Blocking;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * One-time, short-lived console tickets: a page's WebSocket cannot send an Authorization header, so the page asks
 * for a ticket with its credentials and opens the socket with {@code ?ticket=}. A ticket is 256 random bits, bound
 * to the user, range, VM and console type it was issued for. The read store (MongoDB, shared by every API node)
 * keeps only its SHA-256 with that binding, so a ticket issued by one node is accepted by any other, and a copy of
 * the store holds nothing that opens a console. Redeeming removes the document in one findAndModify: of two nodes
 * racing with the same ticket, one gets it.
 */
@Component
public class ConsoleTickets {

    public static final String TERMINAL = "terminal";
    public static final String VNC = "vnc";
    static final String COLLECTION = "console_tickets";
    private static final int BYTES = 32;

    private final MongoTemplate store;
    private final ConsoleTicketProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ConsoleTickets(MongoTemplate store, ConsoleTicketProperties properties, ObjectProvider<Clock> clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * What a ticket allows: one console of {@code type} on VM {@code vm} of range {@code rangeId}, as {@code user}.
     * {@code roles}: the user's authorities when the ticket was issued, and {@code bearer} whether they came from an
     * OpenID Connect token: such a user has no account here whose current roles could be read again.
     */
    public record Grant(String user, String rangeId, String vm, String type, List<String> roles, boolean bearer) {
    }

    /** A new ticket: the secret itself, given to the caller once, and when it expires. */
    public record Issued(String ticket, Grant grant, Instant expiresAt) {
    }

    /** The stored form: the ticket's hash as its id, never the ticket. */
    record TicketDocument(@Id String hash, String user, String rangeId, String vm, String type, List<String> roles,
                          boolean bearer, Instant expiresAt) {
    }

    public Mono<Issued> issue(Grant grant) {
        return Blocking.call(() -> {
            Instant now = clock.instant();
            // expired tickets nobody redeemed: a few documents at most, removed here rather than by a timer
            store.remove(Query.query(Criteria.where("expiresAt").lt(now)), COLLECTION);
            byte[] secret = new byte[BYTES];
            random.nextBytes(secret);
            String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Instant expiresAt = now.plus(properties.ttl());
            store.insert(new TicketDocument(hash(ticket), grant.user(), grant.rangeId(), grant.vm(), grant.type(),
                    grant.roles(), grant.bearer(), expiresAt), COLLECTION);
            return new Issued(ticket, grant, expiresAt);
        });
    }

    /**
     * The ticket's grant, used up by this call; empty for a ticket that is unknown, already used or expired (an
     * expired one is used up too). Off the event loop.
     */
    public Mono<Grant> redeem(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 100) {
            return Mono.empty();
        }
        return Blocking.call(() -> store.findAndRemove(Query.query(Criteria.where("_id").is(hash(ticket))),
                        TicketDocument.class, COLLECTION))
                .filter(found -> clock.instant().isBefore(found.expiresAt()))
                .map(found -> new Grant(found.user(), found.rangeId(), found.vm(), found.type(),
                        found.roles() == null ? List.of() : found.roles(), found.bearer()));
    }

    static String hash(String ticket) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(ticket.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package io.cyroid.api.audit;

import io.cyroid.api.BasicCredentials;
import io.cyroid.audit.AuditEntry;
import io.cyroid.audit.AuditLog;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import io.cyroid.api.Blocking;

/**
 * Records every refused command (a 4xx or 5xx answer to POST, PUT, PATCH or DELETE) and every refused sign-in or
 * access (401, 403, any method) under /api: these leave no event behind. Ordered before Spring Security's filter
 * chain (order -100), so its 401 and 403 answers pass through here too. The user is the name the caller sent in its
 * Basic credentials, attempted or verified; the password is never read.
 */
@Component
@Order(RefusedRequestAudit.ORDER)
public class RefusedRequestAudit implements WebFilter {

    static final int ORDER = -200;
    static final int MAX_TEXT = 200;
    static final String CORRELATION_HEADER = "X-Correlation-Id";
    private static final Pattern RANGE = Pattern.compile("^/api/v1/ranges/([^/]+)");
    private static final Pattern BLUEPRINT = Pattern.compile("^/api/v1/blueprints/([^/]+)");
    private static final Logger log = LoggerFactory.getLogger(RefusedRequestAudit.class);

    private final AuditLog audit;

    public RefusedRequestAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        // The write is part of the exchange (not fire-and-forget), so a flood of refusals is bounded by the
        // connections, not queued without limit; the answer itself is already on its way.
        return chain.filter(exchange)
                .then(Mono.defer(() -> record(exchange, exchange.getResponse().getStatusCode())))
                .onErrorResume(e -> record(exchange, statusOf(e)).then(Mono.error(e)));
    }

    private Mono<Void> record(ServerWebExchange exchange, HttpStatusCode status) {
        if (status == null || !refused(exchange.getRequest().getMethod(), status.value())) {
            return Mono.empty();
        }
        AuditEntry entry = entry(exchange.getRequest(), status.value(), Instant.now());
        return Mono.fromRunnable(() -> audit.append(entry))
                .subscribeOn(Blocking.SCHEDULER)
                .onErrorResume(e -> {
                    log.warn("could not record the refused request {} in the audit log", entry, e);
                    return Mono.empty();
                })
                .then();
    }

    static boolean refused(HttpMethod method, int status) {
        if (status == 401 || status == 403) {
            return true;
        }
        boolean command = !HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)
                && !HttpMethod.OPTIONS.equals(method);
        return command && status >= 400;
    }

    static AuditEntry entry(ServerHttpRequest request, int status, Instant at) {
        String path = request.getPath().value();
        InetSocketAddress remote = request.getRemoteAddress();
        String client = remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
        String correlationId = request.getHeaders().getFirst(CORRELATION_HEADER);
        return new AuditEntry(UUID.randomUUID().toString(), AuditEntry.REQUEST, at,
                basicUser(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION)),
                clean(request.getMethod().name() + " " + path), group(RANGE, path), group(BLUEPRINT, path), null,
                status >= 500 ? AuditEntry.FAILED : AuditEntry.REFUSED, status,
                correlationId == null ? null : clean(correlationId), null, client, null);
    }

    /** The user name of Basic credentials, cleaned; the password is dropped. */
    static String basicUser(String authorization) {
        String user = BasicCredentials.user(authorization);
        return user == null ? null : clean(user);
    }

    /** Caller-supplied text, without control characters and bounded, so it cannot forge lines or fill the store. */
    static String clean(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > MAX_TEXT ? printable.substring(0, MAX_TEXT) : printable;
    }

    private static String group(Pattern pattern, String path) {
        Matcher matcher = pattern.matcher(path);
        return matcher.find() ? clean(matcher.group(1)) : null;
    }

    private static HttpStatusCode statusOf(Throwable e) {
        return e instanceof ResponseStatusException status ? status.getStatusCode() : HttpStatusCode.valueOf(500);
    }
}

package io.cyroid.api.audit;

import io.cyroid.api.InvalidRequestException;
import io.cyroid.audit.AuditEntry;
import io.cyroid.audit.AuditFilter;
import io.cyroid.blueprint.Violation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.util.MultiValueMap;

/** The query string of GET /api/v1/audit, checked: a misspelt filter is refused rather than silently ignored. */
record AuditRequest(AuditFilter filter, int page, int size) {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;
    static final Set<String> PARAMETERS = Set.of("user", "rangeId", "blueprintId", "action", "outcome", "from", "to",
            "page", "size");
    static final Set<String> OUTCOMES = Set.of(AuditEntry.OK, AuditEntry.REFUSED, AuditEntry.FAILED);

    static AuditRequest parse(MultiValueMap<String, String> query) {
        List<Violation> violations = new ArrayList<>();
        query.keySet().stream().filter(name -> !PARAMETERS.contains(name)).sorted()
                .forEach(name -> violations.add(new Violation(name, "is not a filter; known: user, rangeId,"
                        + " blueprintId, action, outcome, from, to, page, size")));
        String outcome = query.getFirst("outcome");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            violations.add(new Violation("outcome", "is one of OK, REFUSED, FAILED"));
        }
        Instant from = instant(query, "from", violations);
        Instant to = instant(query, "to", violations);
        int page = number(query, "page", 0, 0, Integer.MAX_VALUE / MAX_SIZE, violations);
        int size = number(query, "size", DEFAULT_SIZE, 1, MAX_SIZE, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("the audit query is invalid", violations);
        }
        return new AuditRequest(new AuditFilter(query.getFirst("user"), query.getFirst("rangeId"),
                query.getFirst("blueprintId"), query.getFirst("action"), outcome, from, to), page, size);
    }

    private static Instant instant(MultiValueMap<String, String> query, String name, List<Violation> violations) {
        String value = query.getFirst(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(new Violation(name, "is an ISO-8601 UTC instant, such as 2025-03-03T09:00:00Z"));
            return null;
        }
    }

    private static int number(MultiValueMap<String, String> query, String name, int absent, int min, int max,
                              List<Violation> violations) {
        String value = query.getFirst(name);
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, as any value out of range
        }
        violations.add(new Violation(name, "is a whole number from " + min + " to " + max));
        return absent;
    }
}

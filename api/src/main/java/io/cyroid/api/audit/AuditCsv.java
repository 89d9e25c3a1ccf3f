package io.cyroid.api.audit;

import io.cyroid.audit.AuditEntry;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/** The audit log as RFC 4180 CSV, one line per entry, CRLF line ends. */
final class AuditCsv {

    static final String HEADER = line("at", "user", "action", "rangeId", "blueprintId", "outcome", "status",
            "correlationId", "traceId", "client", "detail", "kind", "sequence", "id");

    private AuditCsv() {
    }

    static String line(AuditEntry e) {
        return line(e.at(), e.user(), e.action(), e.rangeId(), e.blueprintId(), e.outcome(), e.status(),
                e.correlationId(), e.traceId(), e.client(), e.detail(), e.kind(), e.sequence(), e.id());
    }

    private static String line(Object... fields) {
        return Arrays.stream(fields).map(field -> field(Objects.toString(field, "")))
                .collect(Collectors.joining(",", "", "\r\n"));
    }

    /**
     * Quoted when it holds a comma, quote or line break, quotes doubled. A value that a spreadsheet would run as a
     * formula (=, +, -, @: a user name sent in a refused request is the caller's choice) gets a leading apostrophe.
     */
    static String field(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = safe.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')
                || !safe.equals(value);
        return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
    }
}

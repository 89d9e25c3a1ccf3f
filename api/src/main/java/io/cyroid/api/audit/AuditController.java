package io.cyroid.api.audit;

import io.cyroid.api.Blocking;
import io.cyroid.audit.AuditEntry;
import io.cyroid.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/** The audit log, read only: nothing in the API edits or deletes an entry. */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {

    static final MediaType CSV = MediaType.parseMediaType("text/csv");
    /** Rows of one CSV export at most: narrow the time window for more. */
    static final int EXPORT_LIMIT = 100_000;

    private final AuditLog audit;

    public AuditController(AuditLog audit) {
        this.audit = audit;
    }

    /** The shape of every paged list: the entries of page {@code page} (from 0), and how many match in all. */
    @Schema(name = "Page")
    public record Page(List<AuditEntry> items, int page, int size, long total) {
    }

    /**
     * One handler for both representations: two mappings that differ only in what they produce are ambiguous for
     * {@code Accept: *}{@code /*}, so the header is read here.
     */
    @Operation(summary = "Audit entries, newest first: filter by user, rangeId, blueprintId, action, outcome and"
            + " from/to (ISO-8601 UTC; from inclusive, to exclusive); page (from 0) and size (1-500, 50). With"
            + " Accept: text/csv, every matching entry as CSV, without paging")
    @Parameter(name = "user", in = ParameterIn.QUERY, description = "who acted (or attempted to sign in as)")
    @Parameter(name = "rangeId", in = ParameterIn.QUERY)
    @Parameter(name = "blueprintId", in = ParameterIn.QUERY)
    @Parameter(name = "action", in = ParameterIn.QUERY, description = "event type or METHOD /path",
            example = "RangeRequested")
    @Parameter(name = "outcome", in = ParameterIn.QUERY,
            schema = @Schema(type = "string", allowableValues = {"OK", "REFUSED", "FAILED"}))
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "inclusive, ISO-8601 UTC",
            schema = @Schema(type = "string", format = "date-time", example = "2026-11-29T00:00:00Z"))
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "exclusive, ISO-8601 UTC",
            schema = @Schema(type = "string", format = "date-time", example = "2026-11-30T00:00:00Z"))
    @Parameter(name = "page", in = ParameterIn.QUERY, description = "from 0; ignored for CSV",
            schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = "entries per page; ignored for CSV",
            schema = @Schema(type = "integer", minimum = "1", maximum = "" + AuditRequest.MAX_SIZE,
                    defaultValue = "" + AuditRequest.DEFAULT_SIZE))
    @ApiResponse(responseCode = "200", description = "one page, newest first; or, with Accept: text/csv, every"
            + " matching entry (at most 100,000, the newest)", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = Page.class)),
            @Content(mediaType = "text/csv", schema = @Schema(type = "string"))})
    @GetMapping(produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    public Mono<ResponseEntity<?>> list(@Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query,
                                        @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        AuditRequest request = AuditRequest.parse(query);
        if (wantsCsv(accept)) {
            return Blocking.call(() -> csv(request)).map(body -> ResponseEntity.ok().contentType(CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\"").body(body));
        }
        return Blocking.call(() -> new Page(audit.page(request.filter(), request.page(), request.size()),
                request.page(), request.size(), audit.count(request.filter()))).map(ResponseEntity::ok);
    }

    /**
     * Blocking. One string, not a stream of lines: the body of a handler that answers in two representations is
     * typed Object, and WebFlux finds an encoder for a publisher's elements from the declared type only. Bounded by
     * {@link #EXPORT_LIMIT} rows, the newest, so that an export cannot exhaust the server's memory.
     */
    private String csv(AuditRequest request) {
        StringBuilder csv = new StringBuilder(AuditCsv.HEADER);
        try (Stream<AuditEntry> entries = audit.all(request.filter())) {
            entries.limit(EXPORT_LIMIT).forEach(entry -> csv.append(AuditCsv.line(entry)));
        }
        return csv.toString();
    }

    static boolean wantsCsv(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream().anyMatch(type -> type.equalsTypeAndSubtype(CSV));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

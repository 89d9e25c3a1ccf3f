package io.cyroid.blueprintview;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A blueprint at its current version. The blueprint is kept as JSON text, so the stored form is exactly what the
 * parser accepts. A collection of its own, not {@code blueprints}: that one holds the documents of before blueprints
 * were event-sourced, which the API carries over into the event store at start.
 */
@Document(BlueprintDocument.COLLECTION)
public class BlueprintDocument {
    public static final String COLLECTION = "blueprint-views";

    @Id
    public String id;
    /** Not unique here: uniqueness is checked before a command is sent, and a replay must never stall on it. */
    @Indexed
    public String name;
    public int version;
    public String json;
    public String createdBy;
    public Instant createdAt;
    public String revisedBy;
    public Instant revisedAt;
    public boolean retired;
    public String retiredBy;
    public Instant retiredAt;
    /** Sequence number of the last event applied: an event at or below it is a re-delivery. */
    public long sequence;
}

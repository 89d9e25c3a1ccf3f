package io.cyroid.api.blueprint;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A blueprint as the read store held it before blueprints were event-sourced (collection {@code blueprints}).
 * Read only, by {@link LegacyBlueprints}, which carries each into the event store once.
 */
@Document(LegacyBlueprintDocument.COLLECTION)
public class LegacyBlueprintDocument {
    public static final String COLLECTION = "blueprints";

    @Id
    public String id;
    public String name;
    public String json;
    public String createdBy;
    public Instant createdAt;
}

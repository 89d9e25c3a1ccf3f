package io.cyroid.api.blueprint;

import io.cyroid.blueprint.*;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/** A stored blueprint. Kept as JSON text so the stored form is exactly what the parser accepts. */
@Document("blueprints")
public class BlueprintDocument {
    @Id
    public String id;
    @Indexed(unique = true)
    public String name;
    public String json;
    public String createdBy;
    public Instant createdAt;
}

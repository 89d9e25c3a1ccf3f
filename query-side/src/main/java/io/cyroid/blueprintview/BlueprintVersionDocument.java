package io.cyroid.blueprintview;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One version of a blueprint. One document each rather than a list inside the blueprint's: a blueprint of a hundred
 * VMs revised often would outgrow MongoDB's 16 MB per document.
 */
@Document(BlueprintVersionDocument.COLLECTION)
public class BlueprintVersionDocument {
    public static final String COLLECTION = "blueprint-versions";

    /** {@code <blueprint id>/<version>}: a re-delivered event overwrites its own version. */
    @Id
    public String id;
    @Indexed
    public String blueprintId;
    public int version;
    public String json;
    public String by;
    public Instant at;

    static String idOf(String blueprintId, int version) {
        return blueprintId + "/" + version;
    }
}

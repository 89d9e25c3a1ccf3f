package io.cyroid.messages.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cyroid.messages.DinDCreated;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * DinDCreated revision 1 (or none, stored before revisions) to 2: {@code dockerHost} became {@code engine}, the host
 * engine the DinD runs on. Without this, an old DinDCreated would load with {@code engine} null.
 */
public class DinDCreatedEngineUpcaster extends SingleEventUpcaster {

    static final String TYPE = DinDCreated.class.getName();

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        String revision = representation.getType().getRevision();
        return representation.getType().getName().equals(TYPE) && (revision == null || revision.equals("1"));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(TYPE, "2"), JsonNode.class, payload -> {
            if (payload instanceof ObjectNode fields && fields.has("dockerHost") && !fields.has("engine")) {
                fields.set("engine", fields.remove("dockerHost"));
            }
            return payload;
        });
    }
}

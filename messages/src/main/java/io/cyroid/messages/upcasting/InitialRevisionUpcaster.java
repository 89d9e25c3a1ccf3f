package io.cyroid.messages.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * Events stored before events carried a revision have none: they are revision "1" of their type. Giving them that
 * revision first lets every later upcaster match on one revision, so a change is written once, against "1".
 * The stored rows are never rewritten; this runs on every read.
 */
public class InitialRevisionUpcaster extends SingleEventUpcaster {

    static final String CONTRACTS = "io.cyroid.messages.";

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return representation.getType().getRevision() == null
                && representation.getType().getName().startsWith(CONTRACTS);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(representation.getType().getName(), "1"),
                JsonNode.class, Function.identity());
    }
}

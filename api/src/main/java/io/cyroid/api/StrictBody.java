package io.cyroid.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cyroid.blueprint.Violation;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A JSON request body read strictly into a record: a field the record does not have is refused, naming it, rather
 * than silently dropped (a misspelt "nmae" would otherwise deploy a range without the name the caller meant), and a
 * value of the wrong type names its field. The server's ObjectMapper stays lenient for everything else (stored
 * events and sagas must load when fields come and go).
 */
public final class StrictBody {

    private StrictBody() {
    }

    public static <T extends Record> T read(JsonNode body, Class<T> type, ObjectMapper json, String what) {
        List<Violation> violations = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(what + " is invalid",
                    List.of(new Violation("body", "must be a JSON object")));
        }
        Set<String> known = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        body.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                violations.add(new Violation(name, "is not a field; known: " + String.join(", ", known)));
            }
        });
        for (RecordComponent component : type.getRecordComponents()) {
            JsonNode value = body.get(component.getName());
            if (component.getType() == String.class && value != null && !value.isNull() && !value.isTextual()) {
                violations.add(new Violation(component.getName(), "must be a string"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(what + " is invalid", violations);
        }
        try {
            return json.treeToValue(body, type);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                    : "[" + ref.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
            throw new InvalidRequestException(what + " is invalid", List.of(new Violation(
                    field.isEmpty() ? "body" : field, "has a value of the wrong type or form")));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(what + " is invalid", List.of(new Violation("body", "is not readable")));
        }
    }
}

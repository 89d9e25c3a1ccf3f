package io.cyroid.audit;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The few fields of an event the audit log shows, read by name from any record: a new event type becomes an entry
 * without a change here, as long as it names its range {@code rangeId} and its blueprint {@code blueprintId}.
 */
final class EventFields {

    static final Set<String> KNOWN = Set.of("rangeId", "blueprintId", "id", "reason", "leftovers", "note", "vmName",
            "kind", "seconds");

    private EventFields() {
    }

    /** The known fields that the payload has and that are set, as text. */
    static Map<String, String> of(Object payload) {
        Map<String, String> fields = new HashMap<>();
        if (payload == null || !payload.getClass().isRecord()) {
            return fields;
        }
        for (RecordComponent component : payload.getClass().getRecordComponents()) {
            if (!KNOWN.contains(component.getName())) {
                continue;
            }
            try {
                component.getAccessor().setAccessible(true);
                Object value = component.getAccessor().invoke(payload);
                if (value != null) {
                    fields.put(component.getName(), value.toString());
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // an unreadable field leaves the entry without it; the event is still logged
            }
        }
        return fields;
    }
}

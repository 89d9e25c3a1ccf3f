package io.cyroid.blueprint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads a blueprint from YAML (what instructors write) or JSON (what the API receives).
 * Strict on purpose: an unknown field is almost always a typo ({@code subnett}) that would otherwise be dropped
 * silently and surface much later as a confusing deployment. Only syntax and shape are checked here;
 * the rules live in {@link BlueprintValidator}.
 * <p>
 * YAML anchors ({@code &name}) and aliases ({@code *name}) are refused: Jackson's YAML reader does not resolve an
 * alias but hands over the anchor's NAME as a text value, so {@code OTHER: *r} would silently become
 * {@code OTHER: "r"}. Refusing them also rules out alias bombs ("billion laughs").
 */
public final class BlueprintParser {

    private static final ObjectMapper JSON = configure(new ObjectMapper());
    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));

    /** All state is static; an instance exists only for callers that prefer to hold or inject a parser. */
    public BlueprintParser() {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // "{...} junk" must not pass as a valid blueprint.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // A repeated key would let the last one win silently; refuse the ambiguity.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // The records copy lists with List.copyOf, which throws on null elements; fail earlier, with a path.
        mapper.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return mapper;
    }

    public static Blueprint fromYaml(String text) {
        return parse(text, true);
    }

    public static Blueprint fromJson(String text) {
        return parse(text, false);
    }

    public static Blueprint parse(String text, boolean yaml) {
        return parse(text, yaml, BlueprintLimits.DEFAULT_MAX_DEPTH);
    }

    /** {@code maxDepth}: open mappings and sequences at once; a deeper document is refused before it is mapped. */
    public static Blueprint parse(String text, boolean yaml, int maxDepth) {
        if (text == null || text.isBlank()) {
            throw new BlueprintParseException("body", "blueprint is empty");
        }
        if (yaml) {
            refuseAnchorsAndAliases(text, maxDepth);
        } else {
            refuseDeepJson(text, maxDepth);
        }
        Blueprint blueprint;
        try {
            blueprint = (yaml ? YAML : JSON).readValue(text, Blueprint.class);
        } catch (JsonMappingException e) {
            // A syntax error met while reading a field arrives wrapped, with the path of that field: keep the path.
            if (e.getCause() instanceof StreamReadException syntax) {
                throw malformed(path(e), syntax, yaml);
            }
            throw mapping(e);
        } catch (StreamReadException e) {
            throw malformed("body", e, yaml);
        } catch (JsonProcessingException | RuntimeException e) {
            // Last resort (e.g. a YAML library limit); the exception text may name classes, so it is not shown.
            throw new BlueprintParseException("body", "unreadable " + (yaml ? "YAML" : "JSON"), e);
        }
        if (blueprint == null) { // a YAML document holding only "~" or "---"
            throw new BlueprintParseException("body", "blueprint is empty");
        }
        return blueprint;
    }

    /**
     * Reads the YAML events once and refuses the first anchor or alias, naming the field it sits on. SnakeYAML's
     * events are read rather than Jackson's tokens because Jackson does not report the anchor of a scalar value.
     * A syntax error ends this scan silently: the real read reports it with its usual message.
     */
    private static void refuseAnchorsAndAliases(String text, int maxDepth) {
        Parser events = new ParserImpl(new StreamReader(new StringReader(text)), new LoaderOptions());
        // one entry per open mapping or sequence: the key or index of the node being read in it
        Deque<Level> levels = new ArrayDeque<>();
        try {
            for (Event event = events.getEvent(); event != null && !event.is(Event.ID.StreamEnd);
                 event = events.getEvent()) {
                if (event instanceof CollectionEndEvent) {
                    levels.pop();
                    continue;
                }
                if (!(event instanceof NodeEvent node)) {
                    continue; // stream and document boundaries
                }
                Level parent = levels.peek();
                boolean isKey = parent != null && parent.enter(node);
                String found = node instanceof AliasEvent ? "alias *" + node.getAnchor()
                        : node.getAnchor() != null ? "anchor &" + node.getAnchor() : null;
                if (found != null) {
                    throw new BlueprintParseException(path(levels, isKey), "YAML anchors and aliases are not supported"
                            + " (found " + BlueprintValidator.quote(found) + " at line "
                            + (node.getStartMark().getLine() + 1) + ", column " + (node.getStartMark().getColumn() + 1)
                            + "): write the value out in full");
                }
                if (event instanceof MappingStartEvent) {
                    levels.push(new Level(true));
                } else if (event instanceof SequenceStartEvent) {
                    levels.push(new Level(false));
                }
                if (levels.size() > maxDepth) {
                    throw tooDeep(path(levels, false), maxDepth);
                }
            }
        } catch (BlueprintParseException refused) {
            throw refused;
        } catch (RuntimeException e) {
            // SnakeYAML's YAMLException and the like: not this scan's business, the real read reports syntax errors
            // and library limits with its usual messages
        }
    }

    private static BlueprintParseException tooDeep(String field, int maxDepth) {
        return new BlueprintParseException(field, "nested deeper than " + maxDepth
                + " levels (BLUEPRINT_MAX_DEPTH); a blueprint needs 6");
    }

    /** Counts the open objects and arrays in one pass over the tokens, before anything is mapped. */
    private static void refuseDeepJson(String text, int maxDepth) {
        try (JsonParser tokens = JSON.getFactory().createParser(text)) {
            int depth = 0;
            for (var token = tokens.nextToken(); token != null; token = tokens.nextToken()) {
                if (token.isStructStart() && ++depth > maxDepth) {
                    throw tooDeep("body", maxDepth);
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BlueprintParseException refused) {
                throw refused;
            }
            // a syntax error: the real read reports it with its usual message
        }
    }

    /** Where the scan is inside one mapping or sequence. */
    private static final class Level {
        final boolean mapping;
        boolean keyNext = true;
        String key;
        int index = -1;

        Level(boolean mapping) {
            this.mapping = mapping;
        }

        /** Moves on to the next node; true if that node is a mapping key. */
        boolean enter(NodeEvent node) {
            if (!mapping) {
                index++;
                return false;
            }
            boolean isKey = keyNext;
            keyNext = !keyNext;
            if (isKey) {
                key = node instanceof ScalarEvent scalar ? scalar.getValue() : "?";
            }
            return isKey;
        }
    }

    /** {@code vms[0].env.OTHER} for the node being read; a key names its mapping; "body" at the top. */
    private static String path(Deque<Level> levels, boolean atKey) {
        StringBuilder sb = new StringBuilder();
        Iterator<Level> outerFirst = levels.descendingIterator();
        while (outerFirst.hasNext()) {
            Level level = outerFirst.next();
            if (atKey && !outerFirst.hasNext()) {
                break; // a key's own text is no field of the blueprint yet
            }
            if (level.mapping) {
                sb.append(sb.isEmpty() ? "" : ".").append(level.key);
            } else {
                sb.append('[').append(Math.max(level.index, 0)).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    /** Serialises a blueprint as compact JSON (absent fields omitted); it parses back to an equal record. */
    public static String toJson(Blueprint blueprint) {
        try {
            return JSON.writeValueAsString(blueprint);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("blueprint could not be written as JSON", e);
        }
    }

    private static BlueprintParseException malformed(String field, StreamReadException e, boolean yaml) {
        // SnakeYAML interleaves its message with indented excerpts of the input; keep only the message lines.
        String detail = String.valueOf(e.getOriginalMessage()).lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining("; "));
        return new BlueprintParseException(field, "malformed " + (yaml ? "YAML" : "JSON") + at(e.getLocation())
                + (detail.isEmpty() ? "" : ": " + detail), e);
    }

    private static BlueprintParseException mapping(JsonMappingException e) {
        String field = path(e);
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field '" + u.getPropertyName() + "'" + known(u.getKnownPropertyIds());
        } else if (e instanceof InvalidNullException) {
            message = "must not be null";
        } else if (e instanceof InvalidFormatException f) {
            message = "value " + BlueprintValidator.quote(String.valueOf(f.getValue())) + " is not " + expected(f.getTargetType());
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            message = "must be " + expected(m.getTargetType());
        } else {
            message = "invalid value";
        }
        return new BlueprintParseException(field, message + at(e.getLocation()), e);
    }

    /** Jackson's reference path as {@code vms[0].interfaces[1].ip}; "body" when the problem is at the top. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        TreeSet<String> names = new TreeSet<>();
        ids.forEach(id -> names.add(String.valueOf(id)));
        return " (expected one of: " + String.join(", ", names) + ")";
    }

    /** Plain words for the Java type Jackson wanted, so no class name reaches the user. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of fields";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == int.class) {
            return "a number";
        }
        return "a text value";
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() <= 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}

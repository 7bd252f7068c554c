package bridge.support.partner;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.Yaml;

/**
 * An OpenAPI 3 document of a partner system, read well enough to check that stubs (and our own
 * requests) keep to it: operations by operationId, declared statuses, required properties, enums
 * and JSON types, following local {@code $ref}s. Deliberately small: the contracts use only these
 * features. Used by the services' tests; JSON is read with SnakeYAML (JSON is YAML), so no other
 * parser is needed.
 */
public final class PartnerContract {

    private final Map<String, Object> doc;

    private PartnerContract(Map<String, Object> doc) {
        this.doc = doc;
    }

    public static PartnerContract load(String classpathResource) {
        try (InputStream in = PartnerContract.class.getClassLoader().getResourceAsStream(classpathResource)) {
            Objects.requireNonNull(in, classpathResource);
            return new PartnerContract(new Yaml().load(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses JSON text into maps and lists. */
    public static Object json(String text) {
        return new Yaml().load(text);
    }

    /** The path template ("/claims/{claimId}") and method of an operation. */
    public String[] operation(String operationId) {
        for (Map.Entry<String, Object> path : map(doc.get("paths")).entrySet()) {
            for (Map.Entry<String, Object> op : map(path.getValue()).entrySet()) {
                if (op.getValue() instanceof Map<?, ?> m && operationId.equals(m.get("operationId"))) {
                    return new String[] {path.getKey(), op.getKey().toUpperCase()};
                }
            }
        }
        throw new IllegalArgumentException("no operation " + operationId);
    }

    /** The path prefix of the first server (e.g. "/dwp"), where the stubs serve the API. */
    public String basePath() {
        String url = (String) map(list(doc.get("servers")).getFirst()).get("url");
        return java.net.URI.create(url).getPath();
    }

    /** Problems of a request: required headers missing, body not matching the request schema. */
    public List<String> checkRequest(String operationId, Map<String, String> headers, String jsonBody) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> op = op(operationId);
        for (Object p : list(op.getOrDefault("parameters", List.of()))) {
            Map<String, Object> param = resolve(map(p));
            if ("header".equals(param.get("in")) && Boolean.TRUE.equals(param.get("required"))
                    && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase((String) param.get("name")))) {
                problems.add("header " + param.get("name") + " is required");
            }
        }
        if (op.get("requestBody") != null) {
            Map<String, Object> schema = resolve(map(map(map(map(op.get("requestBody")).get("content"))
                    .get("application/json")).get("schema")));
            check("body", json(jsonBody), schema, problems);
        }
        return problems;
    }

    /** Problems of a response: an undeclared status, or a body not matching the declared schema. */
    public List<String> checkResponse(String operationId, int status, String jsonBody) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> responses = map(op(operationId).get("responses"));
        Object declared = responses.get(String.valueOf(status));
        if (declared == null) {
            problems.add("status " + status + " is not declared for " + operationId);
            return problems;
        }
        Map<String, Object> response = resolve(map(declared));
        if (response.get("content") == null) {
            return problems;
        }
        Map<String, Object> content = map(response.get("content"));
        Map<String, Object> media = map(content.values().iterator().next());
        check("body", json(jsonBody), resolve(map(media.get("schema"))), problems);
        return problems;
    }

    private void check(String at, Object value, Map<String, Object> schema, List<String> problems) {
        schema = resolve(schema);
        String type = (String) schema.get("type");
        if (value == null) {
            problems.add(at + " is null");
            return;
        }
        if (type != null) {
            boolean ok = switch (type) {
                case "object" -> value instanceof Map;
                case "array" -> value instanceof List;
                case "string" -> value instanceof String;
                case "integer" -> value instanceof Integer || value instanceof Long;
                case "number" -> value instanceof Number;
                case "boolean" -> value instanceof Boolean;
                default -> true;
            };
            if (!ok) {
                problems.add(at + " is not a " + type + ": " + value);
                return;
            }
        }
        if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            problems.add(at + " is " + value + ", not one of " + allowed);
        }
        if ("date".equals(schema.get("format")) && !((String) value).matches("\\d{4}-\\d{2}-\\d{2}")) {
            problems.add(at + " is not a date: " + value);
        }
        if ("date-time".equals(schema.get("format"))) {
            try {
                java.time.OffsetDateTime.parse((String) value);
            } catch (java.time.format.DateTimeParseException e) {
                problems.add(at + " is not a date-time: " + value);
            }
        }
        if (value instanceof Map<?, ?> object) {
            for (Object required : list(schema.getOrDefault("required", List.of()))) {
                if (!object.containsKey(required)) {
                    problems.add(at + "." + required + " is required");
                }
            }
            Map<String, Object> properties = map(schema.getOrDefault("properties", Map.of()));
            for (Map.Entry<?, ?> e : object.entrySet()) {
                Object property = properties.get(String.valueOf(e.getKey()));
                if (property == null) {
                    problems.add(at + "." + e.getKey() + " is not in the contract");
                } else {
                    check(at + "." + e.getKey(), e.getValue(), map(property), problems);
                }
            }
        }
    }

    private Map<String, Object> op(String operationId) {
        String[] o = operation(operationId);
        return map(map(map(doc.get("paths")).get(o[0])).get(o[1].toLowerCase()));
    }

    private Map<String, Object> resolve(Map<String, Object> node) {
        Object ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        Object at = doc;
        for (String part : ((String) ref).substring(2).split("/")) {
            at = map(at).get(part);
        }
        return resolve(map(at));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}

package bridge.gateway.transcoding;

import com.google.api.FieldBehavior;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An OpenAPI 3.0.3 document (JSON) for the REST API of a {@link RouteTable}, from the same
 * descriptors and bindings the gateway transcodes with, so the document cannot drift from the
 * API.
 *
 * <ul>
 *   <li>Paths in the form of {@link PathTemplate#toOpenApiPath()} ({@code /v1/people/{person}});
 *       operations named {@code Service_Method} (additional bindings {@code _2}, {@code _3}...),
 *       tagged by service, with {@code x-grpc-method} giving the RPC.</li>
 *   <li>Parameters: one path parameter per wildcard segment; query parameters (for every
 *       method whose body is not "*") for each remaining scalar, enum, repeated scalar and
 *       Timestamp/Duration/FieldMask/wrapper field, nested ones by dotted lowerCamelCase path
 *       ({@code filter.minSize}; proto names are accepted too); an {@code Idempotency-Key}
 *       header where the request has a {@code request_id}.</li>
 *   <li>Request body per the body rule (for "*" without the fields the path binds);
 *       response 200 per response_body; {@code default} response: RFC 9457
 *       {@code application/problem+json} ({@code Problem}).</li>
 *   <li>Schemas named by full proto name ({@code bridge.people.v1.Person}), in canonical JSON
 *       form: lowerCamelCase properties, enums as string enums, 64-bit integers as strings,
 *       bytes as base64 strings, Timestamp as date-time strings, Duration/FieldMask as strings,
 *       wrappers as nullable scalars, maps as objects with additionalProperties, repeated as
 *       arrays; OUTPUT_ONLY fields readOnly, INPUT_ONLY writeOnly, REQUIRED fields in
 *       {@code required}; comments as descriptions when the descriptors carry source info.</li>
 *   <li>Bearer JWT security applied to every operation.</li>
 * </ul>
 */
public final class OpenApiGenerator {

  private static final String REF = "#/components/schemas/";

  private final Map<String, Object> schemas = new TreeMap<>();
  private final Deque<GenericDescriptor> pending = new ArrayDeque<>();
  private final Set<String> queued = new HashSet<>();

  private OpenApiGenerator() {}

  /** The document as pretty-printed JSON. */
  public static String generate(RouteTable table, String title, String version) {
    return Json.write(new OpenApiGenerator().document(table, title, version));
  }

  private Map<String, Object> document(RouteTable table, String title, String version) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.3");
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("title", title);
    info.put("version", version);
    info.put("description", "Generated from the gRPC service definitions and their google.api.http"
        + " bindings. Bodies are protobuf's canonical JSON: lowerCamelCase field names (proto names"
        + " are accepted on input), enums by name, 64-bit integers as strings, timestamps in RFC 3339."
        + " Unknown fields are rejected. Fields that hold their default value (0, \"\", false, empty"
        + " list, *_UNSPECIFIED) are omitted from responses. Errors are RFC 9457 problem details.");
    doc.put("info", info);

    Map<String, Object> tags = new LinkedHashMap<>();
    Map<String, Map<String, Map<String, Object>>> paths = new TreeMap<>();
    Map<MethodDescriptor, Integer> bindings = new HashMap<>();
    for (HttpRoute route : table.routes()) {
      ServiceDescriptor service = route.method().getService();
      tags.computeIfAbsent(service.getName(), n -> {
        Map<String, Object> tag = new LinkedHashMap<>();
        tag.put("name", n);
        String comment = ProtoSupport.comment(service);
        tag.put("description", comment != null ? comment : "gRPC service " + service.getFullName() + ".");
        return tag;
      });
      int n = bindings.merge(route.method(), 1, Integer::sum);
      paths.computeIfAbsent(route.template().toOpenApiPath(), p -> new TreeMap<>(this::compareMethods))
          .put(route.httpMethod().toLowerCase(java.util.Locale.ROOT), operation(route, n));
    }
    doc.put("tags", new ArrayList<>(tags.values()));
    doc.put("security", List.of(Map.of("bearerAuth", List.of())));
    doc.put("paths", paths);

    while (!pending.isEmpty()) {
      GenericDescriptor d = pending.poll();
      if (d instanceof Descriptor m) {
        schemas.put(m.getFullName(), messageSchema(m));
      } else if (d instanceof EnumDescriptor e) {
        schemas.put(e.getFullName(), enumSchema(e));
      }
    }
    schemas.put("Problem", problemSchema());
    schemas.put("FieldViolation", fieldViolationSchema());

    Map<String, Object> components = new LinkedHashMap<>();
    components.put("schemas", schemas);
    Map<String, Object> problemContent = new LinkedHashMap<>();
    problemContent.put("schema", ref("Problem"));
    components.put("responses", Map.of("Problem", ordered(
        "description", "An error, as RFC 9457 problem details.",
        "content", Map.of("application/problem+json", problemContent))));
    components.put("securitySchemes", Map.of("bearerAuth", ordered(
        "type", "http",
        "scheme", "bearer",
        "bearerFormat", "JWT",
        "description", "An OAuth 2.0 access token (JWT) from the platform's identity provider.")));
    doc.put("components", components);
    return doc;
  }

  private static final List<String> METHOD_ORDER = List.of("get", "put", "post", "delete", "patch");

  private int compareMethods(String a, String b) {
    int ia = METHOD_ORDER.indexOf(a);
    int ib = METHOD_ORDER.indexOf(b);
    ia = ia < 0 ? 99 : ia;
    ib = ib < 0 ? 99 : ib;
    return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
  }

  // ---------------------------------------------------------------------------------------------
  // Operations

  private Map<String, Object> operation(HttpRoute route, int binding) {
    RoutePlan plan = RoutePlan.of(route);
    MethodDescriptor method = route.method();
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("tags", List.of(method.getService().getName()));
    String comment = ProtoSupport.comment(method);
    op.put("summary", comment != null ? firstSentence(comment) : method.getName());
    if (comment != null) {
      op.put("description", comment);
    }
    op.put("operationId", method.getService().getName() + "_" + method.getName()
        + (binding > 1 ? "_" + binding : ""));
    op.put("x-grpc-method", route.fullMethodName());

    List<Object> params = new ArrayList<>();
    Set<String> bound = new HashSet<>();
    for (PathTemplate.Variable v : route.template().variables) {
      bound.add(v.fieldPath());
    }
    for (PathTemplate.OpenApiParameter p : route.template().openApiParameters()) {
      Map<String, Object> param = new LinkedHashMap<>();
      param.put("name", p.name());
      param.put("in", "path");
      param.put("required", true);
      StringBuilder d = new StringBuilder();
      if (p.fieldPath() == null) {
        d.append("A path segment.");
      } else if (p.resourcePattern().equals("{" + p.name() + "}")) {
        d.append("The request field `").append(p.fieldPath()).append("`.");
      } else {
        d.append("The `{").append(p.name()).append("}` part of `").append(p.resourcePattern())
            .append("`, the request field `").append(p.fieldPath()).append("`.");
      }
      if (p.multiSegment()) {
        d.append(" May span several segments separated by '/'.");
      }
      param.put("description", d.toString());
      param.put("schema", ordered("type", "string"));
      params.add(param);
    }
    if (!plan.bodyAll) {
      queryParameters(plan.input, "", "", bound, plan.bodyField, new HashSet<>(), true, params);
    }
    FieldDescriptor requestId = plan.input.findFieldByName("request_id");
    if (requestId != null && requestId.getType() == FieldDescriptor.Type.STRING && !requestId.isRepeated()) {
      params.add(ordered(
          "name", "Idempotency-Key",
          "in", "header",
          "required", false,
          "description", "Makes a retried request safe: a retry with the same key returns the result"
              + " of the first. Sets the request field `request_id` (they must agree if both are given).",
          "schema", ordered("type", "string")));
    }
    if (!params.isEmpty()) {
      op.put("parameters", params);
    }

    if (!plan.bodyNone) {
      Map<String, Object> requestBody = new LinkedHashMap<>();
      Object schema;
      boolean required;
      if (plan.bodyAll) {
        Set<String> topBound = new HashSet<>();
        for (String b : bound) {
          if (!b.contains(".")) {
            topBound.add(b);
          }
        }
        required = false;
        for (FieldDescriptor f : plan.input.getFields()) {
          if (!topBound.contains(f.getName()) && ProtoSupport.has(f, FieldBehavior.REQUIRED)) {
            required = true;
          }
        }
        if (topBound.isEmpty() || ProtoSupport.isSpecialJson(plan.input)) {
          schema = typeSchema(plan.input);
        } else {
          schema = messageSchema(plan.input, topBound);
        }
      } else {
        schema = fieldSchema(plan.bodyField);
        required = ProtoSupport.has(plan.bodyField, FieldBehavior.REQUIRED);
        String c = ProtoSupport.comment(plan.bodyField);
        if (c != null) {
          requestBody.put("description", c);
        }
      }
      requestBody.put("required", required);
      requestBody.put("content", Map.of("application/json", ordered("schema", schema)));
      op.put("requestBody", requestBody);
    }

    Map<String, Object> responses = new LinkedHashMap<>();
    Object responseSchema = plan.responseField == null ? typeSchema(plan.output) : fieldSchema(plan.responseField);
    responses.put("200", ordered(
        "description", "OK",
        "content", Map.of("application/json", ordered("schema", responseSchema))));
    responses.put("default", ordered("$ref", "#/components/responses/Problem"));
    op.put("responses", responses);
    return op;
  }

  private void queryParameters(Descriptor type, String jsonPrefix, String protoPrefix, Set<String> bound,
                               FieldDescriptor bodyField, Set<Descriptor> stack, boolean parentsRequired,
                               List<Object> out) {
    stack.add(type);
    for (FieldDescriptor fd : type.getFields()) {
      String protoPath = protoPrefix + fd.getName();
      if (bound.contains(protoPath) || fd == bodyField || fd.isMapField()
          || ProtoSupport.has(fd, FieldBehavior.OUTPUT_ONLY)) {
        continue;
      }
      boolean required = parentsRequired && ProtoSupport.has(fd, FieldBehavior.REQUIRED);
      if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !ProtoSupport.isScalarLikeMessage(fd.getMessageType())) {
        if (ProtoSupport.isPlainMessage(fd) && !fd.isRepeated() && !stack.contains(fd.getMessageType())) {
          queryParameters(fd.getMessageType(), jsonPrefix + fd.getJsonName() + ".", protoPath + ".",
              bound, null, stack, required, out);
        }
        continue;
      }
      Map<String, Object> param = new LinkedHashMap<>();
      param.put("name", jsonPrefix + fd.getJsonName());
      param.put("in", "query");
      String description = fieldDescription(fd);
      if (description != null) {
        param.put("description", description);
      }
      if (required) {
        param.put("required", true);
      }
      if (fd.getOptions().getDeprecated()) {
        param.put("deprecated", true);
      }
      param.put("schema", fd.isRepeated() ? ordered("type", "array", "items", singleSchema(fd)) : singleSchema(fd));
      out.add(param);
    }
    stack.remove(type);
  }

  // ---------------------------------------------------------------------------------------------
  // Schemas

  private Map<String, Object> messageSchema(Descriptor type) {
    return messageSchema(type, Set.of());
  }

  private Map<String, Object> messageSchema(Descriptor type, Set<String> without) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "object");
    String comment = ProtoSupport.comment(type);
    if (comment != null) {
      s.put("description", comment);
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (FieldDescriptor fd : type.getFields()) {
      if (without.contains(fd.getName())) {
        continue;
      }
      properties.put(fd.getJsonName(), fieldSchema(fd));
      if (ProtoSupport.has(fd, FieldBehavior.REQUIRED)) {
        required.add(fd.getJsonName());
      }
    }
    if (!properties.isEmpty()) {
      s.put("properties", properties);
    }
    if (!required.isEmpty()) {
      s.put("required", required);
    }
    return s;
  }

  private Map<String, Object> enumSchema(EnumDescriptor type) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "string");
    StringBuilder d = new StringBuilder();
    String comment = ProtoSupport.comment(type);
    if (comment != null) {
      d.append(comment);
    }
    for (EnumValueDescriptor v : type.getValues()) {
      String c = ProtoSupport.comment(v);
      if (c != null) {
        d.append(d.length() > 0 ? "\n" : "").append("- `").append(v.getName()).append("`: ").append(c);
      }
    }
    if (d.length() > 0) {
      s.put("description", d.toString());
    }
    s.put("enum", ProtoSupport.enumNames(type));
    return s;
  }

  /** The schema of a field (array for repeated, object for map), with its annotations. */
  private Map<String, Object> fieldSchema(FieldDescriptor fd) {
    Map<String, Object> s;
    if (fd.isMapField()) {
      FieldDescriptor valueField = fd.getMessageType().findFieldByNumber(2);
      s = ordered("type", "object", "additionalProperties", singleSchema(valueField));
    } else if (fd.isRepeated()) {
      s = ordered("type", "array", "items", singleSchema(fd));
    } else {
      s = singleSchema(fd);
    }
    String description = fieldDescription(fd);
    boolean readOnly = ProtoSupport.has(fd, FieldBehavior.OUTPUT_ONLY);
    boolean writeOnly = ProtoSupport.has(fd, FieldBehavior.INPUT_ONLY);
    boolean deprecated = fd.getOptions().getDeprecated();
    if (description == null && !readOnly && !writeOnly && !deprecated) {
      return s;
    }
    if (s.containsKey("$ref")) {
      s = ordered("allOf", List.of(s)); // OpenAPI 3.0 ignores siblings of $ref
    } else {
      s = new LinkedHashMap<>(s);
    }
    if (description != null) {
      s.put("description", description);
    }
    if (readOnly) {
      s.put("readOnly", true);
    }
    if (writeOnly) {
      s.put("writeOnly", true);
    }
    if (deprecated) {
      s.put("deprecated", true);
    }
    return s;
  }

  /** Descriptions of the API-wide standard fields (AIP-155, AIP-158, AIP-134), used when the
   *  descriptors carry no comments. */
  private static final Map<String, String> STANDARD_FIELDS = Map.of(
      "request_id", "Idempotency key: a retry with the same value returns the result of the first"
          + " request. The Idempotency-Key header sets it too.",
      "page_size", "The maximum number of items to return; the server may cap it and applies a default when 0.",
      "page_token", "The nextPageToken of the previous page, to get the next one.",
      "next_page_token", "Pass as pageToken to get the next page; empty on the last page.",
      "update_mask", "The fields to update (lowerCamelCase, comma-separated in a query).",
      "etag", "Guards concurrent updates: send back the etag you read; a stale one is rejected.");

  private String fieldDescription(FieldDescriptor fd) {
    List<String> parts = new ArrayList<>();
    String comment = ProtoSupport.comment(fd);
    if (comment == null && fd.getContainingType().getContainingType() == null) {
      comment = STANDARD_FIELDS.get(fd.getName());
    }
    if (comment != null) {
      parts.add(comment);
    }
    OneofDescriptor oneof = fd.getRealContainingOneof();
    if (oneof != null) {
      List<String> names = new ArrayList<>();
      for (FieldDescriptor f : oneof.getFields()) {
        names.add(f.getJsonName());
      }
      parts.add("At most one of " + String.join(", ", names) + " may be set.");
    }
    if (fd.isMapField()) {
      FieldDescriptor key = fd.getMessageType().findFieldByNumber(1);
      if (key.getType() != FieldDescriptor.Type.STRING) {
        parts.add("Keys are " + key.getType().name().toLowerCase(java.util.Locale.ROOT)
            + " values written as strings.");
      }
    }
    if (ProtoSupport.has(fd, FieldBehavior.IMMUTABLE)) {
      parts.add("Immutable: can be set only when the resource is created.");
    }
    return parts.isEmpty() ? null : String.join("\n\n", parts);
  }

  /** The schema of one value of the field (an element, for repeated fields). */
  private Map<String, Object> singleSchema(FieldDescriptor fd) {
    return switch (fd.getType()) {
      case INT32, SINT32, SFIXED32 -> ordered("type", "integer", "format", "int32");
      case UINT32, FIXED32 -> ordered("type", "integer", "format", "int64", "minimum", 0,
          "maximum", 4294967295L);
      case INT64, SINT64, SFIXED64 -> ordered("type", "string", "format", "int64");
      case UINT64, FIXED64 -> ordered("type", "string", "format", "uint64");
      case FLOAT -> ordered("type", "number", "format", "float");
      case DOUBLE -> ordered("type", "number", "format", "double");
      case BOOL -> ordered("type", "boolean");
      case STRING -> ordered("type", "string");
      case BYTES -> ordered("type", "string", "format", "byte");
      case ENUM -> enqueue(fd.getEnumType());
      case MESSAGE, GROUP -> typeSchema(fd.getMessageType());
    };
  }

  /** A $ref to a message's component schema, or an inline schema for special well-known types. */
  private Map<String, Object> typeSchema(Descriptor type) {
    String name = type.getFullName();
    switch (name) {
      case "google.protobuf.Timestamp":
        return ordered("type", "string", "format", "date-time", "example", "2024-05-01T12:00:00Z");
      case "google.protobuf.Duration":
        return ordered("type", "string", "pattern", "^-?[0-9]+(\\.[0-9]{1,9})?s$", "example", "1.5s");
      case "google.protobuf.FieldMask":
        return ordered("type", "string",
            "description", "Comma-separated field paths in lowerCamelCase, e.g. \"displayName,dateOfBirth\".");
      case "google.protobuf.Struct":
        return ordered("type", "object", "additionalProperties", true);
      case "google.protobuf.Value":
        return ordered("description", "Any JSON value.", "nullable", true);
      case "google.protobuf.ListValue":
        return ordered("type", "array", "items", Map.of());
      case "google.protobuf.Any":
        return ordered("type", "object",
            "properties", Map.of("@type", ordered("type", "string")),
            "required", List.of("@type"),
            "additionalProperties", true);
      default:
        break;
    }
    if (ProtoSupport.WRAPPERS.contains(name)) {
      Map<String, Object> s = new LinkedHashMap<>(singleSchema(type.findFieldByNumber(1)));
      s.put("nullable", true);
      return s;
    }
    return enqueue(type);
  }

  private Map<String, Object> enqueue(GenericDescriptor d) {
    if (queued.add(d.getFullName())) {
      pending.add(d);
    }
    return ref(d.getFullName());
  }

  private static Map<String, Object> ref(String name) {
    return ordered("$ref", REF + name);
  }

  private static Map<String, Object> problemSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("type", ordered("type", "string", "format", "uri-reference", "default", "about:blank",
        "description", "Identifies the problem type."));
    props.put("title", ordered("type", "string", "description", "Short summary of the problem type."));
    props.put("status", ordered("type", "integer", "format", "int32", "minimum", 100, "maximum", 599,
        "description", "The HTTP status code."));
    props.put("detail", ordered("type", "string", "description", "What went wrong in this occurrence."));
    props.put("instance", ordered("type", "string", "format", "uri-reference",
        "description", "Identifies this occurrence (the request path)."));
    props.put("requestId", ordered("type", "string",
        "description", "Correlates the error with the platform's logs and traces."));
    props.put("errors", ordered("type", "array", "items", ref("FieldViolation"),
        "description", "The fields that made the request invalid, if any."));
    return ordered(
        "type", "object",
        "description", "RFC 9457 problem details.",
        "properties", props,
        "required", List.of("type", "title", "status"));
  }

  private static Map<String, Object> fieldViolationSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("field", ordered("type", "string",
        "description", "Dotted path of proto field names to the bad value, e.g. `person.date_of_birth.month`"
            + " or `person.identifiers[0].type` (0-based); empty when the request as a whole is bad."));
    props.put("description", ordered("type", "string", "description", "Why the value is bad."));
    return ordered("type", "object", "properties", props, "required", List.of("field", "description"));
  }

  private static String firstSentence(String text) {
    String oneLine = text.replace('\n', ' ');
    int dot = oneLine.indexOf(". ");
    String s = dot > 0 ? oneLine.substring(0, dot + 1) : oneLine;
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  private static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}

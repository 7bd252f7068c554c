package bridge.gateway.transcoding;

import bridge.gateway.transcoding.TranscodingException.Reason;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds gRPC request messages from REST requests and renders responses as JSON, following a
 * route's {@code google.api.http} binding. Thread-safe; create one and share it.
 *
 * <h2>Request</h2>
 * <ol>
 *   <li><b>Body.</b> {@code body: "*"}: the JSON object is the request message (an empty body is
 *       an empty message). {@code body: "field"}: the JSON is that field's value (an empty body
 *       leaves it unset). No body rule: the body must be empty (whitespace is tolerated).
 *       JSON is protobuf's canonical JSON (JsonFormat): proto or lowerCamelCase names, enums by
 *       name or number, 64-bit integers as strings or numbers; <em>unknown fields are
 *       rejected</em>. On top of JsonFormat the body must be strict RFC 8259 JSON in UTF-8 with no
 *       duplicate keys (JsonFormat alone would accept comments, single quotes, trailing text
 *       and silently keep the last duplicate).</li>
 *   <li><b>Path variables</b> are set next, into nested messages if dotted, and override any
 *       value the body gave the same field.</li>
 *   <li><b>Query parameters</b> (already percent-decoded) set the remaining fields: the name is a
 *       dotted path of proto or JSON names ({@code filter.min_size} or {@code filter.minSize});
 *       the target must be a scalar, enum, Timestamp, Duration, FieldMask or wrapper field,
 *       singular or repeated (repeat the parameter: {@code ?tags=a&tags=b}). Values use the
 *       same text forms as JSON: {@code true}/{@code false}, enum names (or numbers of known
 *       values), base64 for bytes, RFC 3339 timestamps, {@code "1.5s"} durations,
 *       comma-separated field masks. Rejected with {@link TranscodingException}: an unknown
 *       name, a field bound by the path or inside the body field, any parameter at all for
 *       {@code body: "*"} methods (http.proto: all fields come from the body), maps, messages,
 *       repeated messages, a singular field given twice, two members of one oneof.</li>
 * </ol>
 * JsonFormat runs first; only when it fails is the body walked against the descriptor to name
 * the offending field (see {@link TranscodingException} for the path format), so the happy
 * path costs one strict syntax scan plus JsonFormat.
 *
 * <h2>Response</h2>
 * Canonical compact JSON: lowerCamelCase names, enums as names, 64-bit integers as strings,
 * Timestamps as RFC 3339. <b>Fields with default values are omitted</b> (proto3 JSON default:
 * no {@code 0}, {@code ""}, {@code false}, empty lists or {@code *_UNSPECIFIED} enums in
 * output; clients treat a missing field as its default). This keeps payloads small and avoids
 * showing "withheld" data as empty values. {@code response_body} selects one field: a message
 * prints as its object, a repeated field as a JSON array, a scalar as its JSON value (its default
 * printed if unset, since the whole response is that value; {@code null} for an unset
 * Timestamp, wrapper or other field with presence).
 */
public final class RequestTranscoder {

  private final JsonFormat.Parser parser;
  private final JsonFormat.Printer printer;
  private final Map<Descriptor, Optional<FieldDescriptor>> requestIdFields = new ConcurrentHashMap<>();

  /** A transcoder without a type registry ({@code google.protobuf.Any} cannot be converted). */
  public RequestTranscoder() {
    this(JsonFormat.TypeRegistry.getEmptyTypeRegistry());
  }

  /** A transcoder resolving {@code google.protobuf.Any} types through {@code registry}. */
  public RequestTranscoder(JsonFormat.TypeRegistry registry) {
    this.parser = JsonFormat.parser().usingTypeRegistry(registry);
    this.printer = JsonFormat.printer().usingTypeRegistry(registry).omittingInsignificantWhitespace();
  }

  /** A transcoder whose registry holds every type of {@code table}'s services. */
  public static RequestTranscoder forRoutes(RouteTable table) {
    return new RequestTranscoder(table.typeRegistry());
  }

  /**
   * Builds the request message.
   *
   * @param match the matched route and path variables
   * @param body the raw request body; null or empty for none
   * @param query decoded query parameters (name → values); null for none
   * @throws TranscodingException when the request is not valid for the method
   */
  public DynamicMessage toRequest(RouteMatch match, byte[] body, Map<String, List<String>> query) {
    return toRequest(match, body, query, null);
  }

  /**
   * As {@link #toRequest(RouteMatch, byte[], Map)}, also applying an {@code Idempotency-Key}
   * header value (null for none) as in {@link #withIdempotencyKey}.
   */
  public DynamicMessage toRequest(RouteMatch match, byte[] body, Map<String, List<String>> query,
                                  String idempotencyKey) {
    RoutePlan plan = RoutePlan.of(match.route());
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(plan.input);
    if (body != null && body.length > 0) {
      readBody(plan, builder, body);
    }
    setPathVariables(plan, builder, match.pathVariables());
    if (query != null && !query.isEmpty()) {
      setQuery(plan, builder, query);
    }
    if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
      applyIdempotencyKey(builder, idempotencyKey);
    }
    return builder.build();
  }

  /**
   * Sets the top-level string field {@code request_id} (the API's idempotency key, AIP-155) from
   * an {@code Idempotency-Key} header value. Returns {@code request} unchanged when the key is
   * null or empty, the message has no such field, or the field already holds the same value.
   *
   * @throws TranscodingException (reason IDEMPOTENCY_KEY_MISMATCH) when the body already gave a
   *     different request_id: one request, one key
   */
  public DynamicMessage withIdempotencyKey(DynamicMessage request, String key) {
    if (key == null || key.isEmpty()) {
      return request;
    }
    FieldDescriptor fd = requestIdField(request.getDescriptorForType());
    if (fd == null) {
      return request;
    }
    String current = (String) request.getField(fd);
    if (current.equals(key)) {
      return request;
    }
    checkNoConflict(current, key);
    return request.toBuilder().setField(fd, key).build();
  }

  private void applyIdempotencyKey(DynamicMessage.Builder builder, String key) {
    FieldDescriptor fd = requestIdField(builder.getDescriptorForType());
    if (fd == null) {
      return;
    }
    String current = (String) builder.getField(fd);
    if (!current.equals(key)) {
      checkNoConflict(current, key);
      builder.setField(fd, key);
    }
  }

  private static void checkNoConflict(String current, String key) {
    if (!current.isEmpty()) {
      throw new TranscodingException("request_id", "differs from the Idempotency-Key header",
          Reason.IDEMPOTENCY_KEY_MISMATCH);
    }
  }

  private FieldDescriptor requestIdField(Descriptor type) {
    return requestIdFields.computeIfAbsent(type, t -> {
      FieldDescriptor fd = t.findFieldByName("request_id");
      return fd != null && !fd.isRepeated() && fd.getType() == FieldDescriptor.Type.STRING
          ? Optional.of(fd) : Optional.empty();
    }).orElse(null);
  }

  // ---------------------------------------------------------------------------------------------
  // Body

  private void readBody(RoutePlan plan, DynamicMessage.Builder builder, byte[] body) {
    String text = utf8(body);
    int first = Json.firstNonWhitespace(text);
    if (first == text.length()) {
      return;
    }
    if (plan.bodyNone) {
      throw new TranscodingException("", "this method does not take a request body",
          Reason.UNEXPECTED_BODY);
    }
    int scan = Json.scan(text);
    if (scan == Json.INVALID) {
      throw syntaxProblem(plan, text);
    }
    if (plan.bodyIsObject && text.charAt(first) != '{') {
      throw new TranscodingException("", "the request body must be a JSON object", Reason.INVALID_VALUE);
    }
    Message.Builder target;
    String json;
    if (plan.bodyAll) {
      target = builder;
      json = text;
    } else if (plan.bodyIsObject) {
      target = builder.getFieldBuilder(plan.bodyField);
      json = text;
    } else {
      // a scalar, repeated, map or well-known-type body field: parse it as {"field": <body>}
      target = builder;
      json = "{" + Json.quote(plan.bodyField.getJsonName()) + ":" + text + "}";
    }
    try {
      parser.merge(json, target);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw diagnose(plan, json);
    }
    if (scan == Json.SUSPICIOUS_DATE) {
      // JsonFormat rolls 2024-13-01 over to 2025-01-01: if such a string sits in a Timestamp
      // field, the walk (which checks timestamps strictly) names it
      TranscodingException found = find(plan, json);
      if (found != null) {
        throw found;
      }
    }
  }

  private static String utf8(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') >= 0) {
      try {
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(body));
      } catch (CharacterCodingException e) {
        throw new TranscodingException("", "the request body is not valid UTF-8", Reason.MALFORMED_JSON);
      }
    }
    return text;
  }

  private TranscodingException syntaxProblem(RoutePlan plan, String text) {
    Json.SyntaxError error;
    try {
      Json.parse(text);
      return new TranscodingException("", "malformed JSON", Reason.MALFORMED_JSON);
    } catch (Json.SyntaxError e) {
      error = e;
    }
    String where = " at line " + error.line + ", column " + error.column;
    switch (error.type) {
      case DUPLICATE_KEY: {
        String path;
        if (plan.bodyAll) {
          path = BodyDiagnosis.protoPath(error.path, plan.input, null, "");
        } else if (plan.bodyIsObject) {
          path = BodyDiagnosis.protoPath(error.path, plan.bodyField.getMessageType(), null,
              plan.bodyField.getName());
        } else {
          FieldDescriptor f = plan.bodyField;
          path = BodyDiagnosis.protoPath(error.path,
              ProtoSupport.isPlainMessage(f) && !f.isRepeated() ? f.getMessageType() : null,
              f.isRepeated() ? f : null, f.getName());
        }
        return new TranscodingException(path, "is given more than once" + where, Reason.DUPLICATE_FIELD);
      }
      case TOO_DEEP:
        return new TranscodingException("", "JSON " + error.detail + where, Reason.MALFORMED_JSON);
      default:
        return new TranscodingException("", "malformed JSON" + where + ": " + error.detail,
            Reason.MALFORMED_JSON);
    }
  }

  private TranscodingException diagnose(RoutePlan plan, String json) {
    TranscodingException found = find(plan, json);
    if (found != null) {
      return found;
    }
    String prefix = plan.bodyIsObject && !plan.bodyAll ? plan.bodyField.getName() : "";
    return new TranscodingException(prefix, prefix.isEmpty()
        ? "the request body is not valid for this method" : "is not valid", Reason.INVALID_VALUE);
  }

  /** The first problem the descriptor walk finds in the body, or null. */
  private TranscodingException find(RoutePlan plan, String json) {
    Descriptor type;
    String prefix;
    if (plan.bodyIsObject && !plan.bodyAll) {
      type = plan.bodyField.getMessageType();
      prefix = plan.bodyField.getName();
    } else {
      type = plan.input;
      prefix = "";
    }
    try {
      return BodyDiagnosis.find(json, Json.parse(json), type, prefix, parser);
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Path and query

  private static void setPathVariables(RoutePlan plan, DynamicMessage.Builder builder,
                                       Map<String, String> vars) {
    for (int i = 0; i < plan.varPaths.length; i++) {
      String value = vars.get(plan.varPaths[i]);
      if (value == null) {
        continue;
      }
      FieldDescriptor[] chain = plan.varChains[i];
      Message.Builder b = builder;
      for (int k = 0; k < chain.length - 1; k++) {
        b = b.getFieldBuilder(chain[k]);
      }
      FieldDescriptor leaf = chain[chain.length - 1];
      b.setField(leaf, FieldValues.convert(leaf, value, plan.varPaths[i]));
    }
  }

  private static void setQuery(RoutePlan plan, DynamicMessage.Builder builder,
                               Map<String, List<String>> query) {
    // the same singular field under two names (filter.min_size and filter.minSize) is a duplicate
    boolean multiple = query.size() > 1;
    java.util.Set<String> seen = multiple ? new java.util.HashSet<>() : null;
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isEmpty()) {
        continue;
      }
      List<String> values = e.getValue();
      RoutePlan.QueryTarget target = plan.query(key);
      if (values == null || values.isEmpty()) {
        continue;
      }
      FieldDescriptor[] chain = target.chain();
      Message.Builder b = builder;
      for (int k = 0; k < chain.length - 1; k++) {
        b = b.getFieldBuilder(chain[k]);
      }
      FieldDescriptor leaf = target.leaf();
      String path = target.protoPath();
      if (leaf.isRepeated()) {
        for (String v : values) {
          b.addRepeatedField(leaf, FieldValues.convert(leaf, v == null ? "" : v, path));
        }
        continue;
      }
      if (values.size() > 1 || (multiple && !seen.add(path))) {
        throw new TranscodingException(path, "is given more than once", Reason.DUPLICATE_FIELD);
      }
      OneofDescriptor oneof = leaf.getRealContainingOneof();
      if (oneof != null) {
        FieldDescriptor set = b.getOneofFieldDescriptor(oneof);
        if (set != null && set != leaf) {
          throw new TranscodingException(path, "cannot be set together with " + set.getName(),
              Reason.INVALID_VALUE);
        }
      }
      String v = values.get(0);
      b.setField(leaf, FieldValues.convert(leaf, v == null ? "" : v, path));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Response

  /** JSON of an unset scalar, repeated or map field printed on its own (response_body). */
  private static String defaultJson(FieldDescriptor f) {
    if (f.isMapField()) {
      return "{}";
    }
    if (f.isRepeated()) {
      return "[]";
    }
    if (f.hasPresence()) {
      return "null";
    }
    return switch (f.getJavaType()) {
      case INT, FLOAT, DOUBLE -> "0";
      case LONG -> "\"0\"";
      case BOOLEAN -> "false";
      case STRING, BYTE_STRING -> "\"\"";
      case ENUM -> Json.quote(f.getEnumType().getValues().get(0).getName());
      case MESSAGE -> "{}";
    };
  }

  /**
   * The response as compact canonical JSON (UTF-8), honouring the route's response_body.
   */
  public byte[] toJson(Message response, HttpRoute route) {
    RoutePlan plan = RoutePlan.of(route);
    StringBuilder out = new StringBuilder(256);
    try {
      FieldDescriptor f = plan.responseField;
      if (f == null) {
        printer.appendTo(response, out);
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()) {
        if (response.hasField(f)) {
          printer.appendTo((Message) response.getField(f), out);
        } else {
          // unset: an empty object, or null for a Timestamp, wrapper etc. (not 1970-01-01 or 0)
          out.append(ProtoSupport.isSpecialJson(f.getMessageType()) ? "null" : "{}");
        }
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField()) {
        out.append('[');
        int n = response.getRepeatedFieldCount(f);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          printer.appendTo((Message) response.getRepeatedField(f, i), out);
        }
        out.append(']');
      } else {
        // scalar, repeated scalar or map: print {"field": value} and keep the value
        DynamicMessage only = DynamicMessage.newBuilder(plan.output)
            .setField(f, response.getField(f)).build();
        String wrapped = printer.print(only);
        String prefix = "{" + Json.quote(f.getJsonName()) + ":";
        out.append(wrapped.startsWith(prefix)
            ? wrapped.substring(prefix.length(), wrapped.length() - 1) : defaultJson(f));
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot print " + route.fullMethodName() + " response", e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}

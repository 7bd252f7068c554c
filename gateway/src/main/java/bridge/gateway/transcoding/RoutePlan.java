package bridge.gateway.transcoding;

import bridge.gateway.transcoding.TranscodingException.Reason;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything about one {@link HttpRoute} that can be worked out once: the body field, the
 * response field, the fields the path variables set, and (cached on first use) what each
 * query parameter name resolves to. Creating a plan validates the route.
 */
final class RoutePlan {

  private static final Map<HttpRoute, RoutePlan> PLANS = new ConcurrentHashMap<>();
  private static final int QUERY_CACHE_LIMIT = 256;

  /** A query parameter resolved to a field chain from the request message. */
  record QueryTarget(FieldDescriptor[] chain, String protoPath) {
    FieldDescriptor leaf() {
      return chain[chain.length - 1];
    }
  }

  final HttpRoute route;
  final Descriptor input;
  final Descriptor output;
  final boolean bodyNone;
  final boolean bodyAll;
  /** The body field for body "<field>", else null. */
  final FieldDescriptor bodyField;
  /** The body is a plain message (input for "*", or the body field's type): must be an object. */
  final boolean bodyIsObject;
  final String[] varPaths;
  final FieldDescriptor[][] varChains;
  final FieldDescriptor responseField;
  private final Set<String> boundPaths;
  private final Map<String, QueryTarget> queryCache = new ConcurrentHashMap<>();

  static RoutePlan of(HttpRoute route) {
    RoutePlan plan = PLANS.get(route);
    if (plan == null) {
      plan = PLANS.computeIfAbsent(route, RoutePlan::new);
    }
    return plan;
  }

  private RoutePlan(HttpRoute route) {
    this.route = route;
    this.input = route.method().getInputType();
    this.output = route.method().getOutputType();
    String where = route.fullMethodName() + " (" + route.httpMethod() + " " + route.template() + ")";
    String body = route.body();
    bodyNone = body.isEmpty();
    bodyAll = body.equals("*");
    if (!bodyNone && !bodyAll) {
      bodyField = input.findFieldByName(body);
      if (bodyField == null) {
        throw new IllegalArgumentException(where + ": body field '" + body + "' is not a field of "
            + input.getFullName());
      }
      bodyIsObject = !bodyField.isRepeated() && ProtoSupport.isPlainMessage(bodyField);
    } else {
      bodyField = null;
      bodyIsObject = bodyAll && !ProtoSupport.isSpecialJson(input);
    }
    if (route.responseBody().isEmpty()) {
      responseField = null;
    } else {
      responseField = output.findFieldByName(route.responseBody());
      if (responseField == null) {
        throw new IllegalArgumentException(where + ": response_body '" + route.responseBody()
            + "' is not a field of " + output.getFullName());
      }
    }
    PathTemplate.Variable[] vars = route.template().variables;
    varPaths = new String[vars.length];
    varChains = new FieldDescriptor[vars.length][];
    boundPaths = new HashSet<>();
    for (int i = 0; i < vars.length; i++) {
      String path = vars[i].fieldPath();
      FieldDescriptor[] chain;
      try {
        chain = ProtoSupport.resolvePath(input, path);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": path variable " + e.getMessage(), e);
      }
      for (int k = 0; k < chain.length - 1; k++) {
        if (!ProtoSupport.isPlainMessage(chain[k]) || chain[k].isRepeated()) {
          throw new IllegalArgumentException(where + ": path variable '" + path
              + "' goes through a field that is not a singular message");
        }
      }
      FieldDescriptor leaf = chain[chain.length - 1];
      if (leaf.isRepeated() || leaf.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        throw new IllegalArgumentException(where + ": path variable '" + path
            + "' must name a singular scalar or enum field");
      }
      varPaths[i] = path;
      varChains[i] = chain;
      boundPaths.add(path);
    }
  }

  /** Resolves a query parameter name (dotted, proto or JSON names); throws if not settable. */
  QueryTarget query(String key) {
    QueryTarget cached = queryCache.get(key);
    if (cached != null) {
      return cached;
    }
    if (bodyAll) {
      throw new TranscodingException(key,
          "query parameters are not accepted: this method takes its fields from the request body",
          Reason.FIELD_NOT_SETTABLE);
    }
    String[] parts = key.split("\\.", -1);
    FieldDescriptor[] chain = new FieldDescriptor[parts.length];
    StringBuilder protoPath = new StringBuilder(key.length() + 8);
    Descriptor current = input;
    for (int i = 0; i < parts.length; i++) {
      FieldDescriptor fd = ProtoSupport.field(current, parts[i]);
      if (fd == null) {
        throw new TranscodingException(key, "unknown query parameter", Reason.UNKNOWN_FIELD);
      }
      if (i > 0) {
        protoPath.append('.');
      }
      protoPath.append(fd.getName());
      chain[i] = fd;
      boolean last = i == parts.length - 1;
      if (!last) {
        if (!ProtoSupport.isPlainMessage(fd)) {
          throw new TranscodingException(key, "unknown query parameter", Reason.UNKNOWN_FIELD);
        }
        if (fd.isRepeated()) {
          throw new TranscodingException(protoPath.toString(),
              "is a list of messages, which a query parameter cannot set", Reason.FIELD_NOT_SETTABLE);
        }
        current = fd.getMessageType();
      } else if (fd.isMapField()) {
        throw new TranscodingException(protoPath.toString(),
            "is a map, which a query parameter cannot set", Reason.FIELD_NOT_SETTABLE);
      } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !ProtoSupport.isScalarLikeMessage(fd.getMessageType())) {
        throw new TranscodingException(protoPath.toString(), fd.isRepeated()
            ? "is a list of messages, which a query parameter cannot set"
            : "is a message: set its fields, as " + key + ".<field>", Reason.FIELD_NOT_SETTABLE);
      }
    }
    String path = protoPath.toString();
    if (bodyField != null && chain[0] == bodyField) {
      throw new TranscodingException(path, "is set by the request body, not a query parameter",
          Reason.FIELD_NOT_SETTABLE);
    }
    if (boundPaths.contains(path)) {
      throw new TranscodingException(path, "is set by the URL path, not a query parameter",
          Reason.FIELD_NOT_SETTABLE);
    }
    QueryTarget target = new QueryTarget(chain, path);
    if (queryCache.size() < QUERY_CACHE_LIMIT) {
      queryCache.put(key, target);
    }
    return target;
  }
}

package bridge.gateway.transcoding;

import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every REST route of a set of gRPC services, from their {@code google.api.http} options, and
 * the lookup from (HTTP method, raw path) to route that runs on every request.
 *
 * <p>Routes are held in a tree keyed by path segment (literal children tried before
 * {@code *}, then {@code **}), so a lookup walks the path once, compares segments in place
 * (no regular expressions, no substrings) and allocates only the result. More specific routes
 * win: {@code /v1/people/me} beats {@code /v1/{name=people/*}}.
 *
 * <p>Custom verbs: a final {@code ":x"} is taken as a verb only when {@code x} is the verb of
 * some route in the table (as Envoy's transcoder does); otherwise the colon is part of the last
 * segment. So {@code GET /v1/echoes/a:shout} (with only {@code POST ...:shout} defined) is no
 * GET match but {@link #hasPath} is true (405), while {@code /v1/echoes/a:b} with an unknown
 * verb {@code b} is looked up as a resource id {@code a:b}.
 *
 * <p>Building the table validates every binding (template syntax, body, response_body and
 * path variable fields, duplicate method+path) and throws {@link IllegalArgumentException}
 * naming the RPC: a bad contract fails at start-up, never on a request. Methods without
 * {@code google.api.http} and streaming methods are skipped.
 */
public final class RouteTable {

  private record Entry(HttpRoute route, String method, String verb) {}

  private static final Entry[] NO_ENTRIES = new Entry[0];

  private static final class Node {
    String[] literalKeys = new String[0];
    Node[] literalNodes = new Node[0];
    Node star;
    Entry[] terminal = NO_ENTRIES;
    /** Routes whose next (last) segment is '**'. */
    Entry[] tail = NO_ENTRIES;

    Node literal(String key) {
      for (int i = 0; i < literalKeys.length; i++) {
        if (literalKeys[i].equals(key)) {
          return literalNodes[i];
        }
      }
      literalKeys = Arrays.copyOf(literalKeys, literalKeys.length + 1);
      literalNodes = Arrays.copyOf(literalNodes, literalNodes.length + 1);
      literalKeys[literalKeys.length - 1] = key;
      return literalNodes[literalNodes.length - 1] = new Node();
    }
  }

  private final List<HttpRoute> routes;
  private final Node root = new Node();
  private final String[] verbs;

  private RouteTable(List<HttpRoute> routes) {
    this.routes = Collections.unmodifiableList(routes);
    Map<String, HttpRoute> shapes = new HashMap<>();
    Set<String> verbSet = new LinkedHashSet<>();
    for (HttpRoute route : routes) {
      RoutePlan.of(route); // validates body, response_body and path variables
      String key = route.httpMethod() + " " + route.template().shapeKey();
      HttpRoute clash = shapes.putIfAbsent(key, route);
      if (clash != null) {
        throw new IllegalArgumentException("two RPCs bind " + key + ": " + clash.fullMethodName()
            + " and " + route.fullMethodName());
      }
      if (!route.template().verb().isEmpty()) {
        verbSet.add(route.template().verb());
      }
      insert(route);
    }
    this.verbs = verbSet.toArray(new String[0]);
  }

  /** The routes of the unary methods of {@code services} that have a google.api.http option. */
  public static RouteTable of(Collection<ServiceDescriptor> services) {
    List<HttpRoute> routes = new ArrayList<>();
    for (ServiceDescriptor service : services) {
      for (MethodDescriptor method : service.getMethods()) {
        if (method.isClientStreaming() || method.isServerStreaming()) {
          continue;
        }
        HttpRule rule = ProtoSupport.httpRule(method);
        if (rule == null) {
          continue;
        }
        routes.add(route(method, rule));
        for (HttpRule extra : rule.getAdditionalBindingsList()) {
          if (extra.getAdditionalBindingsCount() > 0) {
            throw new IllegalArgumentException(method.getFullName()
                + ": additional_bindings cannot have additional_bindings");
          }
          routes.add(route(method, extra));
        }
      }
    }
    return new RouteTable(routes);
  }

  private static HttpRoute route(MethodDescriptor method, HttpRule rule) {
    String httpMethod;
    String path;
    switch (rule.getPatternCase()) {
      case GET -> { httpMethod = "GET"; path = rule.getGet(); }
      case PUT -> { httpMethod = "PUT"; path = rule.getPut(); }
      case POST -> { httpMethod = "POST"; path = rule.getPost(); }
      case DELETE -> { httpMethod = "DELETE"; path = rule.getDelete(); }
      case PATCH -> { httpMethod = "PATCH"; path = rule.getPatch(); }
      case CUSTOM -> {
        httpMethod = rule.getCustom().getKind().toUpperCase(java.util.Locale.ROOT);
        path = rule.getCustom().getPath();
      }
      default -> throw new IllegalArgumentException(method.getFullName()
          + ": google.api.http has no HTTP method and path");
    }
    PathTemplate template;
    try {
      template = PathTemplate.parse(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(method.getFullName() + ": " + e.getMessage(), e);
    }
    return new HttpRoute(httpMethod, template, rule.getBody(), rule.getResponseBody(), method);
  }

  private void insert(HttpRoute route) {
    PathTemplate t = route.template();
    Entry entry = new Entry(route, route.httpMethod(), t.verb());
    Node node = root;
    for (int i = 0; i < t.kinds.length; i++) {
      byte kind = t.kinds[i];
      if (kind == PathTemplate.LITERAL) {
        node = node.literal(t.literals[i]);
      } else if (kind == PathTemplate.STAR) {
        if (node.star == null) {
          node.star = new Node();
        }
        node = node.star;
      } else {
        node.tail = append(node.tail, entry);
        return;
      }
    }
    node.terminal = append(node.terminal, entry);
  }

  private static Entry[] append(Entry[] entries, Entry e) {
    Entry[] out = Arrays.copyOf(entries, entries.length + 1);
    out[entries.length] = e;
    return out;
  }

  /**
   * The route for {@code httpMethod} (upper case, as on the wire) and the raw, percent-encoded
   * request path (a query string, if present, is ignored).
   */
  public Optional<RouteMatch> match(String httpMethod, String path) {
    if (httpMethod == null || path == null) {
      return Optional.empty();
    }
    RequestPath rp = RequestPath.parse(path, RequestPath.pathEnd(path));
    if (rp == null) {
      return Optional.empty();
    }
    String verb = splitVerb(rp);
    if (verb == null) {
      return Optional.empty();
    }
    Entry e = find(root, rp, 0, httpMethod, verb);
    if (e == null) {
      return Optional.empty();
    }
    Map<String, String> vars = e.route.template().bind(rp);
    return vars == null ? Optional.empty() : Optional.of(new RouteMatch(e.route, vars));
  }

  /** True when some route matches {@code path} with any HTTP method (so: 405 rather than 404). */
  public boolean hasPath(String path) {
    return !allowedMethods(path).isEmpty();
  }

  /** The HTTP methods that have a route for {@code path} (for an {@code Allow} header). */
  public Set<String> allowedMethods(String path) {
    if (path == null) {
      return Set.of();
    }
    RequestPath rp = RequestPath.parse(path, RequestPath.pathEnd(path));
    if (rp == null) {
      return Set.of();
    }
    String verb = splitVerb(rp);
    if (verb == null) {
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    collect(root, rp, 0, verb, out);
    return out;
  }

  /** Every route, in service and method declaration order. */
  public List<HttpRoute> routes() {
    return routes;
  }

  /**
   * A registry of every message type the routes' files define or import, for JSON of
   * {@code google.protobuf.Any}; pass it to {@link RequestTranscoder#RequestTranscoder(JsonFormat.TypeRegistry)}.
   */
  public JsonFormat.TypeRegistry typeRegistry() {
    JsonFormat.TypeRegistry.Builder b = JsonFormat.TypeRegistry.newBuilder();
    for (HttpRoute r : routes) {
      b.add(r.method().getInputType());
      b.add(r.method().getOutputType());
    }
    return b.build();
  }

  /**
   * Splits a known verb off the last segment. Returns the verb, "" when there is none, or null
   * when splitting leaves the last segment empty.
   */
  private String splitVerb(RequestPath rp) {
    if (verbs.length == 0) {
      return "";
    }
    int last = rp.count - 1;
    int s = rp.starts[last];
    int e = rp.ends[last];
    int colon = rp.path.lastIndexOf(':', e - 1);
    if (colon < s) {
      return "";
    }
    int len = e - colon - 1;
    for (String v : verbs) {
      if (v.length() == len && rp.path.regionMatches(colon + 1, v, 0, len)) {
        if (colon == s) {
          return null;
        }
        rp.ends[last] = colon;
        return v;
      }
    }
    return "";
  }

  private static Entry find(Node node, RequestPath rp, int i, String method, String verb) {
    if (i == rp.count) {
      Entry e = pick(node.terminal, method, verb);
      return e != null ? e : pick(node.tail, method, verb);
    }
    String[] keys = node.literalKeys;
    for (int k = 0; k < keys.length; k++) {
      if (rp.segmentEquals(i, keys[k])) {
        Entry e = find(node.literalNodes[k], rp, i + 1, method, verb);
        if (e != null) {
          return e;
        }
      }
    }
    if (node.star != null) {
      Entry e = find(node.star, rp, i + 1, method, verb);
      if (e != null) {
        return e;
      }
    }
    return pick(node.tail, method, verb);
  }

  private static Entry pick(Entry[] entries, String method, String verb) {
    for (Entry e : entries) {
      if (e.verb.equals(verb) && (method == null || e.method.equals(method))) {
        return e;
      }
    }
    return null;
  }

  private static void collect(Node node, RequestPath rp, int i, String verb, Set<String> out) {
    if (i == rp.count) {
      add(node.terminal, verb, out);
      add(node.tail, verb, out);
      return;
    }
    for (int k = 0; k < node.literalKeys.length; k++) {
      if (rp.segmentEquals(i, node.literalKeys[k])) {
        collect(node.literalNodes[k], rp, i + 1, verb, out);
      }
    }
    if (node.star != null) {
      collect(node.star, rp, i + 1, verb, out);
    }
    add(node.tail, verb, out);
  }

  private static void add(Entry[] entries, String verb, Set<String> out) {
    for (Entry e : entries) {
      if (e.verb.equals(verb)) {
        out.add(e.method);
      }
    }
  }
}

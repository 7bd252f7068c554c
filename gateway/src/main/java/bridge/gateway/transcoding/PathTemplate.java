package bridge.gateway.transcoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A URL path template of {@code google/api/http.proto}:
 *
 * <pre>
 * Template = "/" Segments [ Verb ] ;
 * Segments = Segment { "/" Segment } ;
 * Segment  = "*" | "**" | LITERAL | Variable ;
 * Variable = "{" FieldPath [ "=" Segments ] "}" ;
 * FieldPath = IDENT { "." IDENT } ;
 * Verb     = ":" LITERAL ;
 * </pre>
 *
 * <p>{@code {var}} means {@code {var=*}}. {@code *} matches exactly one non-empty segment,
 * {@code **} zero or more and must be the last segment.
 *
 * <p><b>Matching</b> ({@link #match(String)}) takes the raw, percent-encoded request path as it
 * arrives (no query string; e.g. Spring's {@code ServerHttpRequest.getPath().value()}):
 * <ul>
 *   <li>empty segments never match: a trailing slash ({@code /v1/people/}) or {@code //} is a
 *       404, not an alias;</li>
 *   <li>a template with a verb matches only a path whose last segment ends with
 *       {@code ":" + verb}; a template without a verb treats a ':' as an ordinary character of
 *       the segment (see {@link RouteTable} for how verbs are told apart there);</li>
 *   <li>literals are compared after percent-decoding; variable values are decoded: fully for
 *       a single-segment variable, except {@code %2F} for a multi-segment one (as the
 *       http.proto spec says); a malformed escape means no match.</li>
 * </ul>
 *
 * <p><b>OpenAPI form</b> ({@link #toOpenApiPath()}): OpenAPI path parameters cannot contain
 * '/', so a variable is shown by its segments, each wildcard becoming a parameter named, as in
 * AIP-122 resource patterns, by the singular of the collection literal before it:
 * {@code /v1/{name=people/*}} → {@code /v1/people/{person}},
 * {@code /v1/{name=people/*}/claims/*} → {@code /v1/people/{person}/claims/{claim}};
 * a wildcard with no literal before it inside its variable is named by the variable
 * ({@code /v1/{name}} → {@code /v1/{name}}), {@code **} gets a "Path" suffix
 * ({@code {name=archives/**}} → {@code /archives/{archivePath}}), clashes get a number.
 * The same resource therefore has the same OpenAPI path in every operation.
 */
public final class PathTemplate {

  static final byte LITERAL = 0;
  static final byte STAR = 1;
  static final byte STARSTAR = 2;

  /** A variable: field path bound to template segments {@code [from, to)}. */
  record Variable(String fieldPath, int from, int to, boolean multiSegment) {}

  /** An OpenAPI path parameter for one wildcard segment. */
  record OpenApiParameter(String name, int segment, String fieldPath, String resourcePattern,
                          boolean multiSegment) {}

  private final String text;
  final String[] literals;
  final byte[] kinds;
  final String verb;
  final Variable[] variables;
  private final int hash;
  private final String openApiPath;
  private final List<OpenApiParameter> openApiParameters;

  private PathTemplate(String text, String[] literals, byte[] kinds, String verb, Variable[] variables) {
    this.text = text;
    this.literals = literals;
    this.kinds = kinds;
    this.verb = verb;
    this.variables = variables;
    this.hash = Objects.hash(Arrays.hashCode(literals), Arrays.hashCode(kinds), verb,
        Arrays.hashCode(variables));
    List<OpenApiParameter> params = new ArrayList<>();
    this.openApiPath = buildOpenApiPath(params);
    this.openApiParameters = Collections.unmodifiableList(params);
  }

  /** Parses a template; throws {@link IllegalArgumentException} with the reason if invalid. */
  public static PathTemplate parse(String template) {
    if (template == null || !template.startsWith("/")) {
      throw bad(template, "must start with '/'");
    }
    List<String> literals = new ArrayList<>();
    List<Byte> kinds = new ArrayList<>();
    List<Variable> variables = new ArrayList<>();
    Set<String> names = new HashSet<>();
    String verb = "";
    int pos = 1;
    int n = template.length();
    while (true) {
      if (pos >= n) {
        throw bad(template, "empty segment");
      }
      if (template.charAt(pos) == '{') {
        int close = template.indexOf('}', pos);
        if (close < 0) {
          throw bad(template, "unclosed '{'");
        }
        String body = template.substring(pos + 1, close);
        if (body.indexOf('{') >= 0) {
          throw bad(template, "variables cannot nest");
        }
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        String pattern = eq < 0 ? "*" : body.substring(eq + 1);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
          throw bad(template, "invalid variable name '" + name + "'");
        }
        if (!names.add(name)) {
          throw bad(template, "variable '" + name + "' appears twice");
        }
        if (pattern.isEmpty()) {
          throw bad(template, "empty pattern for variable '" + name + "'");
        }
        int from = kinds.size();
        for (String seg : pattern.split("/", -1)) {
          addSegment(template, seg, literals, kinds);
        }
        int to = kinds.size();
        boolean multi = to - from > 1 || kinds.get(to - 1) == STARSTAR;
        variables.add(new Variable(name, from, to, multi));
        pos = close + 1;
      } else {
        int end = pos;
        while (end < n && template.charAt(end) != '/' && template.charAt(end) != ':') {
          end++;
        }
        addSegment(template, template.substring(pos, end), literals, kinds);
        pos = end;
      }
      if (pos >= n) {
        break;
      }
      char c = template.charAt(pos);
      if (c == '/') {
        pos++;
        continue;
      }
      if (c == ':') {
        verb = template.substring(pos + 1);
        if (verb.isEmpty() || !isLiteral(verb)) {
          throw bad(template, "invalid verb '" + verb + "'");
        }
        break;
      }
      throw bad(template, "unexpected '" + c + "'");
    }
    for (int i = 0; i < kinds.size() - 1; i++) {
      if (kinds.get(i) == STARSTAR) {
        throw bad(template, "'**' must be the last segment");
      }
    }
    byte[] k = new byte[kinds.size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = kinds.get(i);
    }
    return new PathTemplate(template, literals.toArray(new String[0]), k, verb,
        variables.toArray(new Variable[0]));
  }

  private static void addSegment(String template, String seg, List<String> literals, List<Byte> kinds) {
    switch (seg) {
      case "*" -> {
        literals.add(null);
        kinds.add(STAR);
      }
      case "**" -> {
        literals.add(null);
        kinds.add(STARSTAR);
      }
      default -> {
        if (seg.isEmpty()) {
          throw bad(template, "empty segment");
        }
        if (!isLiteral(seg)) {
          throw bad(template, "invalid literal segment '" + seg + "'");
        }
        literals.add(seg);
        kinds.add(LITERAL);
      }
    }
  }

  private static boolean isLiteral(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '/' || c == '{' || c == '}' || c == '*' || c == ':' || c == '?'
          || c == '#' || c == '%' || c == '=' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException bad(String template, String why) {
    return new IllegalArgumentException("invalid path template '" + template + "': " + why);
  }

  /**
   * Matches a raw request path (percent-encoded, without query string) against this template.
   *
   * @return the variables (dotted field path → decoded value, e.g. {@code "name" → "people/abc"})
   *     or empty when the path does not match
   */
  public Optional<Map<String, String>> match(String path) {
    if (path == null) {
      return Optional.empty();
    }
    int end = RequestPath.pathEnd(path);
    if (!verb.isEmpty()) {
      int colon = end - verb.length() - 1;
      if (colon < 1 || path.charAt(colon) != ':' || !path.startsWith(verb, colon + 1)
          || path.lastIndexOf('/', end - 1) > colon) {
        return Optional.empty();
      }
      end = colon;
    }
    RequestPath rp = RequestPath.parse(path, end);
    if (rp == null || !matches(rp)) {
      return Optional.empty();
    }
    return Optional.ofNullable(bind(rp));
  }

  /** Structural match of the segments (verb already split off by the caller). */
  boolean matches(RequestPath rp) {
    int n = kinds.length;
    boolean tail = kinds[n - 1] == STARSTAR;
    if (tail ? rp.count < n - 1 : rp.count != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      byte k = kinds[i];
      if (k == LITERAL) {
        if (!rp.segmentEquals(i, literals[i])) {
          return false;
        }
      } else if (k == STARSTAR) {
        break;
      }
    }
    return true;
  }

  /** Variable values of a path that {@link #matches}; null when an escape is malformed. */
  Map<String, String> bind(RequestPath rp) {
    Variable[] vars = variables;
    if (vars.length == 0) {
      return Map.of();
    }
    if (vars.length == 1) {
      String v = value(rp, vars[0]);
      return v == null ? null : Map.of(vars[0].fieldPath, v);
    }
    Map<String, String> out = new HashMap<>(vars.length * 2);
    for (Variable var : vars) {
      String v = value(rp, var);
      if (v == null) {
        return null;
      }
      out.put(var.fieldPath, v);
    }
    return out;
  }

  private String value(RequestPath rp, Variable var) {
    int last = kinds[var.to - 1] == STARSTAR ? rp.count : var.to; // exclusive, in path segments
    if (last <= var.from) {
      return "";
    }
    int start = rp.starts[var.from];
    int end = rp.ends[last - 1];
    if (!rp.hasPercent) {
      return rp.path.substring(start, end);
    }
    return RequestPath.decode(rp.path, start, end, var.multiSegment);
  }

  /** The variables' dotted field paths, in template order. */
  public List<String> variableNames() {
    List<String> out = new ArrayList<>(variables.length);
    for (Variable v : variables) {
      out.add(v.fieldPath);
    }
    return out;
  }

  /** The custom verb without ':' ("" when none). */
  public String verb() {
    return verb;
  }

  /**
   * The path in OpenAPI form, e.g. {@code /v1/people/{person}/consents}; see the class comment
   * for the naming rule.
   */
  public String toOpenApiPath() {
    return openApiPath;
  }

  List<OpenApiParameter> openApiParameters() {
    return openApiParameters;
  }

  /** A key equal for templates that match exactly the same paths (for conflict detection). */
  String shapeKey() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      sb.append('/').append(kinds[i] == LITERAL ? literals[i] : kinds[i] == STAR ? "*" : "**");
    }
    if (!verb.isEmpty()) {
      sb.append(':').append(verb);
    }
    return sb.toString();
  }

  private String buildOpenApiPath(List<OpenApiParameter> params) {
    String[] names = new String[kinds.length];
    Set<String> used = new HashSet<>();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      sb.append('/');
      if (kinds[i] == LITERAL) {
        sb.append(literals[i]);
        continue;
      }
      Variable var = variableAt(i);
      String base;
      if (var != null && i > var.from && kinds[i - 1] == LITERAL) {
        base = singular(literals[i - 1]);
      } else if (var != null && i == var.from) {
        base = var.fieldPath;
      } else if (var != null) {
        base = var.fieldPath + "Segment";
      } else {
        base = "segment";
      }
      if (kinds[i] == STARSTAR) {
        base = base + "Path";
      }
      String name = base;
      for (int k = 2; !used.add(name); k++) {
        name = base + k;
      }
      names[i] = name;
      sb.append('{').append(name).append('}');
    }
    if (!verb.isEmpty()) {
      sb.append(':').append(verb);
    }
    for (int i = 0; i < kinds.length; i++) {
      if (names[i] == null) {
        continue;
      }
      Variable var = variableAt(i);
      String pattern = null;
      if (var != null) {
        StringBuilder p = new StringBuilder();
        for (int j = var.from; j < var.to; j++) {
          if (j > var.from) {
            p.append('/');
          }
          p.append(kinds[j] == LITERAL ? literals[j] : "{" + names[j] + "}");
        }
        pattern = p.toString();
      }
      params.add(new OpenApiParameter(names[i], i, var == null ? null : var.fieldPath, pattern,
          kinds[i] == STARSTAR));
    }
    return sb.toString();
  }

  private Variable variableAt(int segment) {
    for (Variable v : variables) {
      if (segment >= v.from && segment < v.to) {
        return v;
      }
    }
    return null;
  }

  /** English singular of a (lowerCamel) collection name, as AIP-122 resource patterns use. */
  static String singular(String plural) {
    String lower = plural.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith("people")) {
      return plural.substring(0, plural.length() - 6) + (plural.endsWith("People") ? "Person" : "person");
    }
    if (lower.endsWith("children")) {
      return plural.substring(0, plural.length() - 3);
    }
    if (lower.endsWith("ies") && plural.length() > 3) {
      return plural.substring(0, plural.length() - 3) + "y";
    }
    if (lower.endsWith("sses") || lower.endsWith("shes") || lower.endsWith("ches")
        || lower.endsWith("xes") || lower.endsWith("oes")) {
      return plural.substring(0, plural.length() - 2);
    }
    if (lower.endsWith("s") && !lower.endsWith("ss") && plural.length() > 1) {
      return plural.substring(0, plural.length() - 1);
    }
    return plural + "Id";
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof PathTemplate t && hash == t.hash && verb.equals(t.verb)
        && Arrays.equals(kinds, t.kinds) && Arrays.equals(literals, t.literals)
        && Arrays.equals(variables, t.variables);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The template as written. */
  @Override
  public String toString() {
    return text;
  }
}

package bridge.gateway.transcoding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and writer, used where protobuf's {@code JsonFormat}
 * is too lenient (it accepts duplicate keys, comments, single quotes, unquoted keys and trailing
 * garbage) and where a precise location of a problem is needed.
 *
 * <p>Two modes: {@link #isValid(String)} is the allocation-light check run on every request
 * body (syntax, duplicate keys, nesting depth); {@link #parse(String)} builds a tree with source
 * offsets and is run only when something is wrong, to explain what.
 */
final class Json {

  /** Maximum nesting of arrays and objects; matches JsonFormat's recursion limit. */
  static final int MAX_DEPTH = 100;

  private Json() {}

  // ---------------------------------------------------------------------------------------------
  // Tree

  enum Kind { OBJECT, ARRAY, STRING, NUMBER, TRUE, FALSE, NULL }

  /** A parsed JSON value with its source span {@code [start, end)} in the parsed text. */
  static final class Node {
    final Kind kind;
    final int start;
    int end;
    /** OBJECT: keys and values in source order. */
    final List<String> keys;
    final List<Node> values;
    /** STRING: the unescaped value. */
    final String string;

    Node(Kind kind, int start, int end, List<String> keys, List<Node> values, String string) {
      this.kind = kind;
      this.start = start;
      this.end = end;
      this.keys = keys;
      this.values = values;
      this.string = string;
    }

    String raw(String text) {
      return text.substring(start, end);
    }

    boolean isNull() {
      return kind == Kind.NULL;
    }
  }

  /** A problem in the JSON text itself (syntax, duplicate key, nesting too deep). */
  static final class SyntaxError extends RuntimeException {
    enum Type { SYNTAX, DUPLICATE_KEY, TOO_DEEP }

    final Type type;
    final int line;
    final int column;
    final String detail;
    /** Keys (String) and array indices (Integer) leading to the problem. */
    final List<Object> path;

    SyntaxError(Type type, int line, int column, String detail, List<Object> path) {
      super(detail, null, false, false);
      this.type = type;
      this.line = line;
      this.column = column;
      this.detail = detail;
      this.path = path;
    }
  }

  /** {@link #scan} result: strict JSON, no duplicate keys. */
  static final int VALID = 0;
  /** {@link #scan} result: not strict JSON, or a duplicate key, or too deep. */
  static final int INVALID = 1;
  /**
   * {@link #scan} result: valid, but some string looks like an RFC 3339 date-time with an
   * impossible date or time (month 13, 30 February, 25:00), which protobuf's lenient timestamp
   * parser would silently roll over; worth checking against the schema.
   */
  static final int SUSPICIOUS_DATE = 2;

  /** The allocation-light check run on every body: {@link #VALID}, {@link #INVALID} or {@link #SUSPICIOUS_DATE}. */
  static int scan(String text) {
    Reader r = new Reader(text, false);
    try {
      r.document();
    } catch (SyntaxError e) {
      return INVALID;
    }
    return r.suspiciousDate ? SUSPICIOUS_DATE : VALID;
  }

  static boolean isValid(String text) {
    return scan(text) != INVALID;
  }

  /**
   * False when {@code s[start, end)} has the shape of an RFC 3339 date-time
   * ({@code YYYY-MM-DDTHH:MM:SS...}) but a component out of range; true otherwise.
   */
  static boolean possibleDateTime(String s, int start, int end) {
    if (end - start < 19 || s.charAt(start + 4) != '-' || s.charAt(start + 7) != '-'
        || (s.charAt(start + 10) != 'T' && s.charAt(start + 10) != 't')
        || s.charAt(start + 13) != ':' || s.charAt(start + 16) != ':') {
      return true;
    }
    int year = digits(s, start, 4);
    int month = digits(s, start + 5, 2);
    int day = digits(s, start + 8, 2);
    int hour = digits(s, start + 11, 2);
    int minute = digits(s, start + 14, 2);
    int second = digits(s, start + 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return true; // not the shape after all; the timestamp parser will say no
    }
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
      return false;
    }
    return day <= java.time.YearMonth.of(year, month).lengthOfMonth();
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Parses {@code text} into a tree; throws {@link SyntaxError} describing the first problem. */
  static Node parse(String text) {
    return new Reader(text, true).document();
  }

  /** Index of the first non-whitespace character, or {@code text.length()}. */
  static int firstNonWhitespace(String text) {
    int i = 0;
    int n = text.length();
    while (i < n && isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  static boolean isBlank(String text) {
    return firstNonWhitespace(text) == text.length();
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static final class Reader {
    private final String s;
    private final int n;
    private final boolean build;
    private int pos;
    private int depth;
    /** Build mode only: keys and indices of the containers we are in. */
    private final ArrayList<Object> path;
    /** Validate mode: raw key spans of the objects we are in (start, end pairs). */
    private int[] keySpans = new int[48];
    private int keyTop;
    /** Whether the last string read contained an escape sequence. */
    private boolean lastStringEscaped;
    /** Validate mode: a string looked like an impossible date-time. */
    boolean suspiciousDate;

    Reader(String s, boolean build) {
      this.s = s;
      this.n = s.length();
      this.build = build;
      this.path = build ? new ArrayList<>() : null;
    }

    Node document() {
      skipWhitespace();
      Node value = value();
      skipWhitespace();
      if (pos < n) {
        throw error("unexpected content after the JSON value");
      }
      return value;
    }

    private Node value() {
      if (pos >= n) {
        throw error("unexpected end of input, expected a value");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"': {
          int start = pos;
          String str = string();
          return build ? new Node(Kind.STRING, start, pos, null, null, str) : null;
        }
        case 't':
          return literal("true", Kind.TRUE);
        case 'f':
          return literal("false", Kind.FALSE);
        case 'n':
          return literal("null", Kind.NULL);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("expected a value");
      }
    }

    private Node literal(String word, Kind kind) {
      if (!s.startsWith(word, pos)) {
        throw error("expected a value");
      }
      int start = pos;
      pos += word.length();
      return build ? new Node(kind, start, pos, null, null, null) : null;
    }

    private Node number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos >= n) {
        throw error("invalid number");
      }
      char c = s.charAt(pos);
      if (c == '0') {
        pos++;
      } else if (c >= '1' && c <= '9') {
        digits();
      } else {
        throw error("invalid number");
      }
      if (pos < n && s.charAt(pos) == '.') {
        pos++;
        if (digits() == 0) {
          throw error("invalid number");
        }
      }
      if (pos < n && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < n && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (digits() == 0) {
          throw error("invalid number");
        }
      }
      return build ? new Node(Kind.NUMBER, start, pos, null, null, null) : null;
    }

    private int digits() {
      int start = pos;
      while (pos < n) {
        char c = s.charAt(pos);
        if (c < '0' || c > '9') {
          break;
        }
        pos++;
      }
      return pos - start;
    }

    /** Reads a string starting at the opening quote; returns its value in build mode. */
    private String string() {
      pos++; // opening quote
      int start = pos;
      lastStringEscaped = false;
      StringBuilder sb = null;
      int chunk = start;
      while (true) {
        if (pos >= n) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          if (!build && !lastStringEscaped && pos - start >= 19 && !possibleDateTime(s, start, pos)) {
            suspiciousDate = true;
          }
          String result = null;
          if (build) {
            result = sb == null ? s.substring(start, pos) : sb.append(s, chunk, pos).toString();
          }
          pos++;
          return result;
        }
        if (c < 0x20) {
          throw error("control character in string (escape it)");
        }
        if (c == '\\') {
          lastStringEscaped = true;
          if (build) {
            if (sb == null) {
              sb = new StringBuilder();
            }
            sb.append(s, chunk, pos);
          }
          pos++;
          if (pos >= n) {
            throw error("unterminated string");
          }
          char e = s.charAt(pos);
          char decoded;
          switch (e) {
            case '"': decoded = '"'; break;
            case '\\': decoded = '\\'; break;
            case '/': decoded = '/'; break;
            case 'b': decoded = '\b'; break;
            case 'f': decoded = '\f'; break;
            case 'n': decoded = '\n'; break;
            case 'r': decoded = '\r'; break;
            case 't': decoded = '\t'; break;
            case 'u': {
              if (pos + 4 >= n) {
                throw error("invalid \\u escape");
              }
              int v = 0;
              for (int i = 1; i <= 4; i++) {
                int h = Character.digit(s.charAt(pos + i), 16);
                if (h < 0) {
                  throw error("invalid \\u escape");
                }
                v = (v << 4) | h;
              }
              pos += 4;
              decoded = (char) v;
              break;
            }
            default:
              throw error("invalid escape sequence");
          }
          pos++;
          if (build) {
            sb.append(decoded);
          }
          chunk = pos;
          continue;
        }
        pos++;
      }
    }

    private Node object() {
      int start = pos;
      enter();
      pos++; // {
      List<String> keys = build ? new ArrayList<>() : null;
      List<Node> values = build ? new ArrayList<>() : null;
      HashSet<String> seen = null;
      int keyBase = keyTop;
      skipWhitespace();
      if (pos < n && s.charAt(pos) == '}') {
        pos++;
        depth--;
        return build ? new Node(Kind.OBJECT, start, pos, keys, values, null) : null;
      }
      while (true) {
        skipWhitespace();
        if (pos >= n || s.charAt(pos) != '"') {
          throw error(pos >= n ? "unexpected end of input, expected a key" : "expected a key in double quotes");
        }
        int keyPos = pos;
        String key = string();
        if (build) {
          if (seen == null && keys.size() >= 8) {
            seen = new HashSet<>(keys);
          }
          boolean dup = seen != null ? !seen.add(key) : keys.contains(key);
          if (dup) {
            path.add(key);
            throw at(keyPos, SyntaxError.Type.DUPLICATE_KEY, "duplicate key");
          }
        } else {
          seen = checkDuplicateRaw(keyBase, keyPos + 1, pos - 1, lastStringEscaped, seen);
        }
        skipWhitespace();
        if (pos >= n || s.charAt(pos) != ':') {
          throw error("expected ':' after a key");
        }
        pos++;
        skipWhitespace();
        if (build) {
          path.add(key);
        }
        Node value = value();
        if (build) {
          path.remove(path.size() - 1);
          keys.add(key);
          values.add(value);
        }
        skipWhitespace();
        if (pos >= n) {
          throw error("unexpected end of input, expected ',' or '}'");
        }
        char c = s.charAt(pos);
        if (c == ',') {
          pos++;
          continue;
        }
        if (c == '}') {
          pos++;
          break;
        }
        throw error("expected ',' or '}'");
      }
      keyTop = keyBase;
      depth--;
      return build ? new Node(Kind.OBJECT, start, pos, keys, values, null) : null;
    }

    /**
     * Validate mode: compares the raw key span with the keys already seen in this object
     * (linear for small objects, then a hash set).
     */
    private HashSet<String> checkDuplicateRaw(int base, int start, int end, boolean escaped,
        HashSet<String> seen) {
      if (seen != null) {
        if (!seen.add(escaped ? unescape(start, end) : s.substring(start, end))) {
          throw at(start - 1, SyntaxError.Type.DUPLICATE_KEY, "duplicate key");
        }
        return seen;
      }
      int len = end - start;
      for (int i = base; i < keyTop; i += 3) {
        int os = keySpans[i];
        int oe = keySpans[i + 1];
        boolean same;
        if (escaped || keySpans[i + 2] != 0) {
          same = unescape(start, end).equals(unescape(os, oe));
        } else {
          same = oe - os == len && s.regionMatches(start, s, os, len);
        }
        if (same) {
          throw at(start - 1, SyntaxError.Type.DUPLICATE_KEY, "duplicate key");
        }
      }
      if ((keyTop - base) / 3 >= 16) {
        seen = new HashSet<>();
        for (int i = base; i < keyTop; i += 3) {
          seen.add(keySpans[i + 2] != 0 ? unescape(keySpans[i], keySpans[i + 1])
              : s.substring(keySpans[i], keySpans[i + 1]));
        }
        seen.add(escaped ? unescape(start, end) : s.substring(start, end));
        return seen;
      }
      if (keyTop + 3 > keySpans.length) {
        keySpans = java.util.Arrays.copyOf(keySpans, keySpans.length * 2);
      }
      keySpans[keyTop++] = start;
      keySpans[keyTop++] = end;
      keySpans[keyTop++] = escaped ? 1 : 0;
      return null;
    }

    private String unescape(int start, int end) {
      // the span was already validated by string(); read it again in build mode
      return new Reader(s.substring(start - 1, end + 1), true).string();
    }

    private Node array() {
      int start = pos;
      enter();
      pos++; // [
      List<Node> values = build ? new ArrayList<>() : null;
      skipWhitespace();
      if (pos < n && s.charAt(pos) == ']') {
        pos++;
        depth--;
        return build ? new Node(Kind.ARRAY, start, pos, null, values, null) : null;
      }
      int index = 0;
      while (true) {
        skipWhitespace();
        if (build) {
          path.add(index);
        }
        Node value = value();
        if (build) {
          path.remove(path.size() - 1);
          values.add(value);
        }
        index++;
        skipWhitespace();
        if (pos >= n) {
          throw error("unexpected end of input, expected ',' or ']'");
        }
        char c = s.charAt(pos);
        if (c == ',') {
          pos++;
          continue;
        }
        if (c == ']') {
          pos++;
          break;
        }
        throw error("expected ',' or ']'");
      }
      depth--;
      return build ? new Node(Kind.ARRAY, start, pos, null, values, null) : null;
    }

    private void enter() {
      if (++depth > MAX_DEPTH) {
        throw at(pos, SyntaxError.Type.TOO_DEEP, "nested more than " + MAX_DEPTH + " levels deep");
      }
    }

    private void skipWhitespace() {
      while (pos < n && isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private SyntaxError error(String detail) {
      return at(pos, SyntaxError.Type.SYNTAX, detail);
    }

    private SyntaxError at(int offset, SyntaxError.Type type, String detail) {
      if (!build) {
        return VALIDATION_FAILED;
      }
      int line = 1;
      int lineStart = 0;
      int end = Math.min(offset, n);
      for (int i = 0; i < end; i++) {
        if (s.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      return new SyntaxError(type, line, end - lineStart + 1, detail, List.copyOf(path));
    }
  }

  /** Shared, stackless marker for the validate-only mode (its details are never shown). */
  private static final SyntaxError VALIDATION_FAILED =
      new SyntaxError(SyntaxError.Type.SYNTAX, 0, 0, "invalid", Collections.emptyList());

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** Appends {@code value} as a JSON string literal. */
  static StringBuilder quote(String value, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  static String quote(String value) {
    return quote(value, new StringBuilder(value.length() + 2)).toString();
  }

  /**
   * Writes a tree of {@link Map} (insertion order kept), {@link List}, {@link String},
   * {@link Number}, {@link Boolean} and {@code null}, indented by two spaces.
   */
  static String write(Object value) {
    StringBuilder out = new StringBuilder(64 * 1024);
    write(value, out, 0);
    return out.append('\n').toString();
  }

  private static void write(Object value, StringBuilder out, int indent) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String str) {
      quote(str, out);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Number num) {
      double d = num.doubleValue();
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
        out.append((long) d);
      } else {
        out.append(num);
      }
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(",\n");
        }
        first = false;
        indent(out, indent + 1);
        quote(String.valueOf(e.getKey()), out).append(": ");
        write(e.getValue(), out, indent + 1);
      }
      out.append('\n');
      indent(out, indent);
      out.append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(",\n");
        }
        indent(out, indent + 1);
        write(list.get(i), out, indent + 1);
      }
      out.append('\n');
      indent(out, indent);
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  private static void indent(StringBuilder out, int level) {
    for (int i = 0; i < level; i++) {
      out.append("  ");
    }
  }
}

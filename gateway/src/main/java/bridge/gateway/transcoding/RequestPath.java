package bridge.gateway.transcoding;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A raw (percent-encoded) request path split into segments once per request, without copying
 * the segments. Empty segments ({@code //}, a trailing {@code /}) make the path unmatchable.
 */
final class RequestPath {

  /** Paths with more segments than this never match (no template is that long). */
  static final int MAX_SEGMENTS = 64;

  final String path;
  final int[] starts;
  final int[] ends;
  int count;
  final boolean hasPercent;

  private RequestPath(String path, int[] starts, int[] ends, int count, boolean hasPercent) {
    this.path = path;
    this.starts = starts;
    this.ends = ends;
    this.count = count;
    this.hasPercent = hasPercent;
  }

  /**
   * Splits {@code path[0, end)}; returns null when the path does not start with '/', has an
   * empty segment or too many segments.
   */
  static RequestPath parse(String path, int end) {
    if (end < 2 || path.charAt(0) != '/') {
      return null;
    }
    int[] starts = new int[8];
    int[] ends = new int[8];
    int count = 0;
    int segStart = 1;
    boolean percent = false;
    for (int i = 1; i <= end; i++) {
      char c = i < end ? path.charAt(i) : '/';
      if (c == '/') {
        if (i == segStart) {
          return null; // empty segment
        }
        if (count == starts.length) {
          if (count == MAX_SEGMENTS) {
            return null;
          }
          starts = java.util.Arrays.copyOf(starts, count * 2);
          ends = java.util.Arrays.copyOf(ends, count * 2);
        }
        starts[count] = segStart;
        ends[count] = i;
        count++;
        segStart = i + 1;
      } else if (c == '%') {
        percent = true;
      }
    }
    return new RequestPath(path, starts, ends, count, percent);
  }

  /** The end of the path proper: before any query string or fragment. */
  static int pathEnd(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return path.length();
  }

  boolean segmentEquals(int i, String literal) {
    int s = starts[i];
    int len = ends[i] - s;
    if (!hasPercent || path.indexOf('%', s) < 0 || path.indexOf('%', s) >= ends[i]) {
      return len == literal.length() && path.regionMatches(s, literal, 0, len);
    }
    String decoded = decode(path, s, ends[i], false);
    return literal.equals(decoded);
  }

  /**
   * Percent-decodes {@code s[from, to)} as UTF-8. With {@code keepEncodedSlash}, "%2F" stays
   * as it is (per google/api/http.proto for multi-segment variables). Returns null when the
   * encoding is malformed.
   */
  static String decode(String s, int from, int to, boolean keepEncodedSlash) {
    int pct = s.indexOf('%', from);
    if (pct < 0 || pct >= to) {
      return s.substring(from, to);
    }
    byte[] bytes = new byte[(to - from) * 3];
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= to) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        int b = (hi << 4) | lo;
        if (keepEncodedSlash && b == '/') {
          bytes[n++] = '%';
          bytes[n++] = (byte) s.charAt(i + 1);
          bytes[n++] = (byte) s.charAt(i + 2);
        } else {
          bytes[n++] = (byte) b;
        }
        i += 2;
      } else if (c < 0x80) {
        bytes[n++] = (byte) c;
      } else {
        byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < to) {
          enc = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        for (byte e : enc) {
          bytes[n++] = e;
        }
      }
    }
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, n));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}

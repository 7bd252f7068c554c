package bridge.gateway.transcoding;

import bridge.gateway.transcoding.TranscodingException.Reason;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;

/**
 * Text (a path variable or query parameter value) to a proto field value, and the
 * caller-facing description of what a field expects.
 */
final class FieldValues {

  private FieldValues() {}

  private static final JsonFormat.Parser WKT_PARSER = JsonFormat.parser();

  /**
   * Converts {@code text} to a value for (one element of) {@code field}.
   *
   * @param path the proto field path, for the error
   */
  static Object convert(FieldDescriptor field, String text, String path) {
    try {
      Object v = convertOrNull(field, text);
      if (v != null) {
        return v;
      }
    } catch (IllegalArgumentException e) { // incl. NumberFormatException
      // fall through to the error below
    }
    throw new TranscodingException(path, describeInvalid(field, text), Reason.INVALID_VALUE);
  }

  private static Object convertOrNull(FieldDescriptor field, String text) {
    switch (field.getType()) {
      case STRING:
        return text;
      case INT32:
      case SINT32:
      case SFIXED32:
        return Integer.parseInt(text);
      case UINT32:
      case FIXED32:
        return Integer.parseUnsignedInt(text);
      case INT64:
      case SINT64:
      case SFIXED64:
        return Long.parseLong(text);
      case UINT64:
      case FIXED64:
        return Long.parseUnsignedLong(text);
      case BOOL:
        return switch (text) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> null;
        };
      case FLOAT: {
        Double d = parseDouble(text);
        if (d == null || (!d.isInfinite() && !d.isNaN() && Math.abs(d) > Float.MAX_VALUE)) {
          return null;
        }
        return d.floatValue();
      }
      case DOUBLE:
        return parseDouble(text);
      case BYTES:
        return ByteString.copyFrom(decodeBase64(text));
      case ENUM:
        return enumValue(field.getEnumType(), text);
      case MESSAGE:
      case GROUP:
        return scalarLikeMessage(field.getMessageType(), text);
      default:
        return null;
    }
  }

  /** JSON number syntax or NaN / Infinity / -Infinity (as protobuf JSON accepts). */
  private static Double parseDouble(String text) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (text.isEmpty()) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E') {
        return null;
      }
    }
    double d = Double.parseDouble(text);
    return Double.isInfinite(d) ? null : d;
  }

  static byte[] decodeBase64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return Base64.getUrlDecoder().decode(text);
    }
  }

  private static EnumValueDescriptor enumValue(EnumDescriptor type, String text) {
    EnumValueDescriptor v = type.findValueByName(text);
    if (v != null) {
      return v;
    }
    if (!text.isEmpty() && (Character.isDigit(text.charAt(0)) || text.charAt(0) == '-')) {
      try {
        return type.findValueByNumber(Integer.parseInt(text));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** Timestamp, Duration, FieldMask (their JSON strings) and wrappers (the wrapped scalar). */
  private static Object scalarLikeMessage(Descriptor type, String text) {
    String name = type.getFullName();
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    if (ProtoSupport.WRAPPERS.contains(name)) {
      FieldDescriptor value = type.findFieldByNumber(1);
      Object v = convertOrNull(value, text);
      if (v == null) {
        return null;
      }
      return b.setField(value, v).build();
    }
    if (ProtoSupport.STRING_WKTS.contains(name)) {
      if (name.equals("google.protobuf.Timestamp") && !Json.possibleDateTime(text, 0, text.length())) {
        return null; // JsonFormat would roll 2024-02-30 over to 2024-03-01
      }
      try {
        WKT_PARSER.merge(Json.quote(text), b);
        return b.build();
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Descriptions

  /** "must be ..." for a bad value of {@code field} (an element of it, if repeated). */
  static String describeInvalid(FieldDescriptor field, String given) {
    if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
      List<String> names = ProtoSupport.enumNames(field.getEnumType());
      String list = names.size() <= 30 ? String.join(", ", names)
          : String.join(", ", names.subList(0, 30)) + ", ...";
      return given == null
          ? "must be one of " + list
          : "unknown value " + Json.quote(truncate(given)) + "; must be one of " + list;
    }
    return expectation(field);
  }

  static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }

  /** What a value of (an element of) {@code field} must look like. */
  static String expectation(FieldDescriptor field) {
    return switch (field.getType()) {
      case INT32, SINT32, SFIXED32 -> "must be an integer from -2147483648 to 2147483647";
      case UINT32, FIXED32 -> "must be an integer from 0 to 4294967295";
      case INT64, SINT64, SFIXED64 ->
          "must be an integer from -9223372036854775808 to 9223372036854775807";
      case UINT64, FIXED64 -> "must be an integer from 0 to 18446744073709551615";
      case FLOAT, DOUBLE -> "must be a number";
      case BOOL -> "must be true or false";
      case STRING -> "must be a string";
      case BYTES -> "must be base64-encoded bytes";
      case ENUM -> "must be one of " + String.join(", ", ProtoSupport.enumNames(field.getEnumType()));
      case MESSAGE, GROUP -> messageExpectation(field.getMessageType());
    };
  }

  static String messageExpectation(Descriptor type) {
    String name = type.getFullName();
    return switch (name) {
      case "google.protobuf.Timestamp" ->
          "must be an RFC 3339 timestamp, e.g. \"2024-05-01T12:00:00Z\"";
      case "google.protobuf.Duration" ->
          "must be a duration in seconds with an 's' suffix, e.g. \"90s\" or \"1.5s\"";
      case "google.protobuf.FieldMask" ->
          "must be a comma-separated list of field paths, e.g. \"displayName,dateOfBirth\"";
      case "google.protobuf.Struct" -> "must be a JSON object";
      case "google.protobuf.ListValue" -> "must be a JSON array";
      case "google.protobuf.Value" -> "must be a JSON value";
      case "google.protobuf.Any" -> "must be a JSON object with a \"@type\" naming a known message type";
      default -> {
        if (ProtoSupport.WRAPPERS.contains(name)) {
          yield expectation(type.findFieldByNumber(1));
        }
        yield "must be a JSON object";
      }
    };
  }

  /** Validates a map key (always a JSON string) for the key type of a map field. */
  static boolean validMapKey(FieldDescriptor keyField, String key) {
    try {
      switch (keyField.getType()) {
        case STRING:
          return true;
        case BOOL:
          return key.equals("true") || key.equals("false");
        case INT32, SINT32, SFIXED32:
          new BigDecimal(key).intValueExact();
          return true;
        case INT64, SINT64, SFIXED64:
          new BigDecimal(key).longValueExact();
          return true;
        case UINT32, FIXED32: {
          long v = new BigDecimal(key).longValueExact();
          return v >= 0 && v <= 0xFFFFFFFFL;
        }
        case UINT64, FIXED64: {
          BigDecimal v = new BigDecimal(key);
          return v.signum() >= 0 && v.toBigIntegerExact().bitLength() <= 64;
        }
        default:
          return false;
      }
    } catch (NumberFormatException | ArithmeticException e) {
      return false;
    }
  }
}

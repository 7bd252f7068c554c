package bridge.gateway.transcoding;

import bridge.gateway.transcoding.TranscodingException.Reason;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The slow path, run only after JsonFormat rejected a body: walks the JSON tree against the
 * message descriptor to find the first offending value and name it by its proto field path.
 *
 * <p>Leaf values (scalars, enums, well-known types) are checked by JsonFormat itself, on a
 * one-field message, so the verdict is exactly JsonFormat's; this class only adds the where.
 */
final class BodyDiagnosis {

  private final String text;
  private final JsonFormat.Parser parser;

  private BodyDiagnosis(String text, JsonFormat.Parser parser) {
    this.text = text;
    this.parser = parser;
  }

  /**
   * The first problem of {@code root} (parsed from {@code text}) as a value of {@code type},
   * with field paths starting at {@code prefix}; null if none is found.
   */
  static TranscodingException find(String text, Json.Node root, Descriptor type, String prefix,
                                   JsonFormat.Parser parser) {
    return new BodyDiagnosis(text, parser).message(root, type, prefix);
  }

  private TranscodingException message(Json.Node node, Descriptor type, String path) {
    if (ProtoSupport.isSpecialJson(type)) {
      if (!accepts(type, node.raw(text))) {
        return invalid(path, FieldValues.messageExpectation(type));
      }
      return null;
    }
    if (node.kind != Json.Kind.OBJECT) {
      return invalid(path, "must be a JSON object");
    }
    Map<FieldDescriptor, String> seen = new HashMap<>();
    Map<OneofDescriptor, FieldDescriptor> oneofs = null;
    for (int i = 0; i < node.keys.size(); i++) {
      String key = node.keys.get(i);
      Json.Node value = node.values.get(i);
      FieldDescriptor fd = ProtoSupport.field(type, key);
      String fieldPath = join(path, fd == null ? key : fd.getName());
      if (fd == null) {
        return new TranscodingException(fieldPath, "unknown field", Reason.UNKNOWN_FIELD);
      }
      String earlier = seen.put(fd, key);
      if (earlier != null) {
        return new TranscodingException(fieldPath, "is given twice, as " + Json.quote(earlier)
            + " and " + Json.quote(key), Reason.DUPLICATE_FIELD);
      }
      if (value.isNull()) {
        continue; // null means "default" (and is a valid google.protobuf.Value)
      }
      OneofDescriptor oneof = fd.getRealContainingOneof();
      if (oneof != null) {
        if (oneofs == null) {
          oneofs = new HashMap<>();
        }
        FieldDescriptor other = oneofs.putIfAbsent(oneof, fd);
        if (other != null) {
          return invalid(fieldPath, "cannot be set together with " + other.getName()
              + " (at most one of " + oneofMembers(oneof) + ")");
        }
      }
      TranscodingException problem = field(fd, value, fieldPath);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private TranscodingException field(FieldDescriptor fd, Json.Node value, String path) {
    if (fd.isMapField()) {
      if (value.kind != Json.Kind.OBJECT) {
        return invalid(path, "must be a JSON object");
      }
      FieldDescriptor keyField = fd.getMessageType().findFieldByNumber(1);
      FieldDescriptor valueField = fd.getMessageType().findFieldByNumber(2);
      for (int i = 0; i < value.keys.size(); i++) {
        String key = value.keys.get(i);
        String entryPath = path + "[" + Json.quote(key) + "]";
        if (!FieldValues.validMapKey(keyField, key)) {
          return invalid(entryPath, "is not a valid key: keys " + FieldValues.expectation(keyField));
        }
        Json.Node v = value.values.get(i);
        if (v.isNull()) {
          if (isValueType(valueField)) {
            continue;
          }
          return invalid(entryPath, "must not be null");
        }
        TranscodingException p = element(fd, valueField, v, entryPath, mapValueJson(fd, keyField));
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    if (fd.isRepeated()) {
      if (value.kind != Json.Kind.ARRAY) {
        return invalid(path, "must be a JSON array");
      }
      for (int i = 0; i < value.values.size(); i++) {
        Json.Node v = value.values.get(i);
        String elementPath = path + "[" + i + "]";
        if (v.isNull()) {
          if (isValueType(fd)) {
            continue;
          }
          return invalid(elementPath, "must not be null");
        }
        TranscodingException p = element(fd, fd, v, elementPath,
            "{" + Json.quote(fd.getJsonName()) + ":[%s]}");
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    return element(fd, fd, value, path, "{" + Json.quote(fd.getJsonName()) + ":%s}");
  }

  /**
   * Checks one value of {@code valueField} (the field itself, or a map's value field);
   * {@code wrapper} embeds the raw value into a one-field JSON object of {@code fd}'s message.
   */
  private TranscodingException element(FieldDescriptor fd, FieldDescriptor valueField, Json.Node value,
                                       String path, String wrapper) {
    if (valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !ProtoSupport.isSpecialJson(valueField.getMessageType())) {
      return message(value, valueField.getMessageType(), path);
    }
    String json = wrapper.replace("%s", value.raw(text));
    boolean timestamp = valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && valueField.getMessageType().getFullName().equals("google.protobuf.Timestamp");
    boolean strictOk = !timestamp || value.kind != Json.Kind.STRING
        || Json.possibleDateTime(value.string, 0, value.string.length());
    if (strictOk && accepts(fd.getContainingType(), json)) {
      return null;
    }
    String given = value.kind == Json.Kind.STRING ? value.string : null;
    return invalid(path, FieldValues.describeInvalid(valueField, given));
  }

  private static String mapValueJson(FieldDescriptor mapField, FieldDescriptor keyField) {
    String key = switch (keyField.getJavaType()) {
      case BOOLEAN -> "true";
      case STRING -> "k";
      default -> "0";
    };
    return "{" + Json.quote(mapField.getJsonName()) + ":{" + Json.quote(key) + ":%s}}";
  }

  private boolean accepts(Descriptor type, String json) {
    try {
      parser.merge(json, DynamicMessage.newBuilder(type));
      return true;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isValueType(FieldDescriptor fd) {
    return fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && fd.getMessageType().getFullName().equals("google.protobuf.Value");
  }

  private static String oneofMembers(OneofDescriptor oneof) {
    StringBuilder sb = new StringBuilder();
    List<FieldDescriptor> fields = oneof.getFields();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(i == fields.size() - 1 ? " and " : ", ");
      }
      sb.append(fields.get(i).getName());
    }
    return sb.toString();
  }

  private static TranscodingException invalid(String path, String description) {
    return new TranscodingException(path, description, Reason.INVALID_VALUE);
  }

  static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /**
   * Turns a JSON location (keys and array indices) into a proto field path, starting in
   * {@code type} (or, when {@code container} is set, in the elements of that repeated/map field).
   */
  static String protoPath(List<Object> jsonPath, Descriptor type, FieldDescriptor container, String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    Descriptor msg = type;
    for (Object el : jsonPath) {
      if (container != null) {
        FieldDescriptor c = container;
        container = null;
        if (c.isMapField() && el instanceof String key) {
          sb.append('[').append(Json.quote(key)).append(']');
          FieldDescriptor valueField = c.getMessageType().findFieldByNumber(2);
          msg = ProtoSupport.isPlainMessage(valueField) ? valueField.getMessageType() : null;
          continue;
        }
        if (!c.isMapField() && el instanceof Integer index) {
          sb.append('[').append(index).append(']');
          msg = ProtoSupport.isPlainMessage(c) ? c.getMessageType() : null;
          continue;
        }
        msg = null;
      }
      if (el instanceof String key) {
        FieldDescriptor fd = msg == null ? null : ProtoSupport.field(msg, key);
        if (sb.length() > 0) {
          sb.append('.');
        }
        if (fd == null) {
          sb.append(key);
          msg = null;
        } else {
          sb.append(fd.getName());
          if (fd.isRepeated()) {
            container = fd;
            msg = null;
          } else {
            msg = ProtoSupport.isPlainMessage(fd) ? fd.getMessageType() : null;
          }
        }
      } else {
        sb.append('[').append(el).append(']');
        msg = null;
      }
    }
    return sb.toString();
  }
}

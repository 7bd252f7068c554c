package bridge.gateway.transcoding;

import com.google.api.AnnotationsProto;
import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Descriptor helpers shared by the transcoder and the OpenAPI generator. */
final class ProtoSupport {

  private ProtoSupport() {}

  private static final ExtensionRegistry REGISTRY;

  static {
    ExtensionRegistry r = ExtensionRegistry.newInstance();
    AnnotationsProto.registerAllExtensions(r);
    FieldBehaviorProto.registerAllExtensions(r);
    REGISTRY = r.getUnmodifiable();
  }

  /** Well-known types whose JSON form is a string (and which a query parameter can set). */
  static final Set<String> STRING_WKTS = Set.of(
      "google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask");

  /** Wrapper types: JSON form is the wrapped scalar. */
  static final Set<String> WRAPPERS = Set.of(
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue");

  /** Types JsonFormat maps specially (not as an object of their fields). */
  static final Set<String> OTHER_SPECIAL = Set.of(
      "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
      "google.protobuf.Any");

  /** A message whose JSON form is not "an object of its fields". */
  static boolean isSpecialJson(Descriptor d) {
    String n = d.getFullName();
    return STRING_WKTS.contains(n) || WRAPPERS.contains(n) || OTHER_SPECIAL.contains(n);
  }

  /** A message type a single query parameter or path value can set. */
  static boolean isScalarLikeMessage(Descriptor d) {
    String n = d.getFullName();
    return STRING_WKTS.contains(n) || WRAPPERS.contains(n);
  }

  /** Message field whose JSON is an object of fields (recursion target). */
  static boolean isPlainMessage(FieldDescriptor fd) {
    return fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !fd.isMapField()
        && !isSpecialJson(fd.getMessageType());
  }

  /** The google.api.http rule of a method, or null. */
  static HttpRule httpRule(MethodDescriptor method) {
    DescriptorProtos.MethodOptions options = method.getOptions();
    if (options.hasExtension(AnnotationsProto.http)) {
      return options.getExtension(AnnotationsProto.http);
    }
    if (options.getUnknownFields().hasField(AnnotationsProto.HTTP_FIELD_NUMBER)) {
      // descriptors loaded without the extension registered (e.g. from a descriptor set)
      try {
        DescriptorProtos.MethodOptions reparsed =
            DescriptorProtos.MethodOptions.parseFrom(options.toByteString(), REGISTRY);
        if (reparsed.hasExtension(AnnotationsProto.http)) {
          return reparsed.getExtension(AnnotationsProto.http);
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("unreadable google.api.http on " + method.getFullName(), e);
      }
    }
    return null;
  }

  private static final Map<FieldDescriptor, List<FieldBehavior>> BEHAVIORS = new ConcurrentHashMap<>();

  /** The google.api.field_behavior values of a field. */
  static List<FieldBehavior> behaviors(FieldDescriptor field) {
    return BEHAVIORS.computeIfAbsent(field, f -> {
      DescriptorProtos.FieldOptions options = f.getOptions();
      if (options.getExtensionCount(FieldBehaviorProto.fieldBehavior) > 0) {
        return List.copyOf(options.getExtension(FieldBehaviorProto.fieldBehavior));
      }
      if (options.getUnknownFields().hasField(FieldBehaviorProto.FIELD_BEHAVIOR_FIELD_NUMBER)) {
        try {
          return List.copyOf(DescriptorProtos.FieldOptions.parseFrom(options.toByteString(), REGISTRY)
              .getExtension(FieldBehaviorProto.fieldBehavior));
        } catch (InvalidProtocolBufferException e) {
          return List.of();
        }
      }
      return List.of();
    });
  }

  static boolean has(FieldDescriptor field, FieldBehavior behavior) {
    return behaviors(field).contains(behavior);
  }

  private static final Map<Descriptor, Map<String, FieldDescriptor>> BY_NAME = new ConcurrentHashMap<>();

  /** Field by proto name or JSON name (JsonFormat accepts both), or null. */
  static FieldDescriptor field(Descriptor type, String name) {
    Map<String, FieldDescriptor> index = BY_NAME.get(type);
    if (index == null) {
      index = BY_NAME.computeIfAbsent(type, t -> {
        Map<String, FieldDescriptor> m = new HashMap<>();
        for (FieldDescriptor f : t.getFields()) {
          m.put(f.getName(), f);
        }
        for (FieldDescriptor f : t.getFields()) {
          m.putIfAbsent(f.getJsonName(), f);
        }
        return Map.copyOf(m);
      });
    }
    return index.get(name);
  }

  /** Resolves a dotted path of proto field names from {@code type}; throws on a bad segment. */
  static FieldDescriptor[] resolvePath(Descriptor type, String dottedPath) {
    String[] parts = dottedPath.split("\\.", -1);
    FieldDescriptor[] chain = new FieldDescriptor[parts.length];
    Descriptor current = type;
    for (int i = 0; i < parts.length; i++) {
      if (current == null) {
        throw new IllegalArgumentException("'" + dottedPath + "': '" + parts[i - 1] + "' is not a message field");
      }
      FieldDescriptor f = current.findFieldByName(parts[i]);
      if (f == null) {
        throw new IllegalArgumentException("'" + dottedPath + "': no field '" + parts[i] + "' in "
            + current.getFullName());
      }
      chain[i] = f;
      current = i < parts.length - 1 && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !f.isRepeated() ? f.getMessageType() : null;
    }
    return chain;
  }

  /** The names of an enum's values, for error messages and schemas. */
  static List<String> enumNames(EnumDescriptor type) {
    List<String> names = new ArrayList<>(type.getValues().size());
    for (EnumValueDescriptor v : type.getValues()) {
      names.add(v.getName());
    }
    return names;
  }

  // ---------------------------------------------------------------------------------------------
  // Source comments (present only when descriptors carry SourceCodeInfo, e.g. from a descriptor
  // set built with --include_source_info; descriptors embedded in generated Java code have none)

  private static final Map<FileDescriptor, Map<List<Integer>, String>> COMMENTS = new ConcurrentHashMap<>();

  /** The leading (else trailing) comment of a descriptor, trimmed, or null. */
  static String comment(GenericDescriptor d) {
    Map<List<Integer>, String> byPath = COMMENTS.computeIfAbsent(d.getFile(), ProtoSupport::indexComments);
    if (byPath.isEmpty()) {
      return null;
    }
    List<Integer> path = pathOf(d);
    return path == null ? null : byPath.get(path);
  }

  private static Map<List<Integer>, String> indexComments(FileDescriptor file) {
    DescriptorProtos.FileDescriptorProto proto = file.toProto();
    if (!proto.hasSourceCodeInfo()) {
      return Map.of();
    }
    Map<List<Integer>, String> out = new HashMap<>();
    for (DescriptorProtos.SourceCodeInfo.Location loc : proto.getSourceCodeInfo().getLocationList()) {
      String text = loc.hasLeadingComments() ? loc.getLeadingComments()
          : loc.hasTrailingComments() ? loc.getTrailingComments() : null;
      if (text == null || text.isBlank()) {
        continue;
      }
      out.putIfAbsent(List.copyOf(loc.getPathList()), cleanComment(text));
    }
    return out;
  }

  private static String cleanComment(String text) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.strip().split("\n")) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(line.strip());
    }
    return sb.toString();
  }

  // Field numbers in descriptor.proto used by SourceCodeInfo paths.
  private static final int FILE_MESSAGE = 4;
  private static final int FILE_ENUM = 5;
  private static final int FILE_SERVICE = 6;
  private static final int MESSAGE_FIELD = 2;
  private static final int MESSAGE_NESTED = 3;
  private static final int MESSAGE_ENUM = 4;
  private static final int ENUM_VALUE = 2;
  private static final int SERVICE_METHOD = 2;

  private static List<Integer> pathOf(GenericDescriptor d) {
    List<Integer> path = new ArrayList<>();
    if (d instanceof Descriptor m) {
      messagePath(m, path);
    } else if (d instanceof FieldDescriptor f) {
      if (f.isExtension()) {
        return null;
      }
      messagePath(f.getContainingType(), path);
      path.add(MESSAGE_FIELD);
      path.add(f.getIndex());
    } else if (d instanceof EnumDescriptor e) {
      enumPath(e, path);
    } else if (d instanceof EnumValueDescriptor v) {
      enumPath(v.getType(), path);
      path.add(ENUM_VALUE);
      path.add(v.getIndex());
    } else if (d instanceof ServiceDescriptor s) {
      path.add(FILE_SERVICE);
      path.add(s.getIndex());
    } else if (d instanceof MethodDescriptor m) {
      path.add(FILE_SERVICE);
      path.add(m.getService().getIndex());
      path.add(SERVICE_METHOD);
      path.add(m.getIndex());
    } else {
      return null;
    }
    return path;
  }

  private static void messagePath(Descriptor m, List<Integer> path) {
    if (m.getContainingType() == null) {
      path.add(FILE_MESSAGE);
    } else {
      messagePath(m.getContainingType(), path);
      path.add(MESSAGE_NESTED);
    }
    path.add(m.getIndex());
  }

  private static void enumPath(EnumDescriptor e, List<Integer> path) {
    if (e.getContainingType() == null) {
      path.add(FILE_ENUM);
    } else {
      messagePath(e.getContainingType(), path);
      path.add(MESSAGE_ENUM);
    }
    path.add(e.getIndex());
  }
}

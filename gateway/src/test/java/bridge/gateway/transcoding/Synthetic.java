package bridge.gateway.transcoding;

import bridge.proto.testing.v1.EchoProto;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds throwaway services (over the echo messages) with arbitrary google.api.http rules. */
final class Synthetic {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Map<String, HttpRule> rules = new LinkedHashMap<>();
  private final Map<String, String> inputs = new LinkedHashMap<>();

  static Synthetic service() {
    return new Synthetic();
  }

  Synthetic rpc(String name, HttpRule.Builder rule) {
    return rpc(name, "GetEchoRequest", rule);
  }

  Synthetic rpc(String name, String inputType, HttpRule.Builder rule) {
    rules.put(name, rule.build());
    inputs.put(name, inputType);
    return this;
  }

  static HttpRule.Builder get(String path) {
    return HttpRule.newBuilder().setGet(path);
  }

  static HttpRule.Builder post(String path, String body) {
    return HttpRule.newBuilder().setPost(path).setBody(body);
  }

  List<ServiceDescriptor> build() {
    ServiceDescriptorProto.Builder service = ServiceDescriptorProto.newBuilder().setName("SyntheticService");
    rules.forEach((name, rule) -> service.addMethod(MethodDescriptorProto.newBuilder()
        .setName(name)
        .setInputType(".bridge.testing.v1." + inputs.get(name))
        .setOutputType(".bridge.testing.v1.Echo")
        .setOptions(MethodOptions.newBuilder().setExtension(AnnotationsProto.http, rule))));
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("synthetic_" + COUNTER.incrementAndGet() + ".proto")
        .setPackage("bridge.synthetic.v1")
        .setSyntax("proto3")
        .addDependency(EchoProto.getDescriptor().getName())
        .addService(service)
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[] {EchoProto.getDescriptor()}).getServices();
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  RouteTable table() {
    return RouteTable.of(build());
  }
}

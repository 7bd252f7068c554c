package bridge.gateway.transcoding;

import bridge.proto.benefits.v1.BenefitsLiaisonProto;
import bridge.proto.consent.v1.ConsentProto;
import bridge.proto.housing.v1.HousingLiaisonProto;
import bridge.proto.people.v1.PeopleDirectoryProto;
import bridge.proto.referrals.v1.ReferralsProto;
import bridge.proto.testing.v1.EchoProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Descriptors of the real Bridge contracts plus the test-only echo service. */
final class Fixtures {

  private Fixtures() {}

  static final List<FileDescriptor> BRIDGE_FILES = List.of(
      PeopleDirectoryProto.getDescriptor(), ConsentProto.getDescriptor(), ReferralsProto.getDescriptor(),
      HousingLiaisonProto.getDescriptor(), BenefitsLiaisonProto.getDescriptor());

  static final List<ServiceDescriptor> BRIDGE_SERVICES =
      BRIDGE_FILES.stream().flatMap(f -> f.getServices().stream()).toList();

  static final List<ServiceDescriptor> ECHO_SERVICES = EchoProto.getDescriptor().getServices();

  static final List<ServiceDescriptor> ALL_SERVICES =
      Stream.concat(BRIDGE_SERVICES.stream(), ECHO_SERVICES.stream()).toList();

  static final RouteTable TABLE = RouteTable.of(ALL_SERVICES);

  static final RequestTranscoder TRANSCODER = RequestTranscoder.forRoutes(TABLE);

  static RouteMatch match(String method, String path) {
    return TABLE.match(method, path).orElseThrow(() -> new AssertionError("no route for " + method + " " + path));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Query map from alternating name, value pairs (repeated names accumulate). */
  static Map<String, List<String>> query(String... nameValues) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      q.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
    }
    return q;
  }
}

package bridge.gateway.transcoding;

import static bridge.gateway.transcoding.Fixtures.TABLE;
import static bridge.gateway.transcoding.Synthetic.get;
import static bridge.gateway.transcoding.Synthetic.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.AnnotationsProto;
import com.google.api.CustomHttpPattern;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static String rpc(String method, String path) {
    return TABLE.match(method, path).map(m -> m.route().fullMethodName()).orElse(null);
  }

  private static Map<String, String> vars(String method, String path) {
    return TABLE.match(method, path).orElseThrow().pathVariables();
  }

  @Test
  void httpExtensionIsReadableFromGeneratedDescriptors() {
    MethodDescriptor getPerson = bridge.proto.people.v1.PeopleDirectoryProto.getDescriptor()
        .findServiceByName("PeopleDirectoryService").findMethodByName("GetPerson");
    assertThat(getPerson.getOptions().hasExtension(AnnotationsProto.http)).isTrue();
    assertThat(getPerson.getOptions().getExtension(AnnotationsProto.http).getGet()).isEqualTo("/v1/{name=people/*}");
  }

  @Test
  void everyAnnotatedUnaryRpcOfTheRealContractsAndTheEchoServiceHasARoute() {
    Set<String> routed = TABLE.routes().stream().map(HttpRoute::fullMethodName).collect(Collectors.toSet());
    for (ServiceDescriptor s : Fixtures.ALL_SERVICES) {
      for (MethodDescriptor m : s.getMethods()) {
        String name = s.getFullName() + "/" + m.getName();
        boolean annotated = m.getOptions().hasExtension(AnnotationsProto.http);
        boolean unary = !m.isClientStreaming() && !m.isServerStreaming();
        assertThat(routed.contains(name)).as(name).isEqualTo(annotated && unary);
      }
    }
    assertThat(routed).contains(
        "bridge.people.v1.PeopleDirectoryService/CreatePerson",
        "bridge.people.v1.PeopleDirectoryService/GetPerson",
        "bridge.consent.v1.ConsentService/CreateConsent",
        "bridge.consent.v1.ConsentService/ListConsents",
        "bridge.testing.v1.EchoService/ShoutEcho")
        .doesNotContain("bridge.testing.v1.EchoService/Internal", "bridge.testing.v1.EchoService/Stream");
    // CreateReply has an additional binding: two routes
    assertThat(TABLE.routes().stream().filter(r -> r.method().getName().equals("CreateReply")))
        .extracting(r -> r.httpMethod() + " " + r.template())
        .containsExactly("POST /v1/{parent=echoes/*}/replies", "PUT /v1/{reply.name=echoes/*/replies/*}");
  }

  @Test
  void routeRecordDescribesTheBinding() {
    HttpRoute route = TABLE.match("POST", "/v1/people").orElseThrow().route();
    assertThat(route.httpMethod()).isEqualTo("POST");
    assertThat(route.template()).hasToString("/v1/people");
    assertThat(route.body()).isEqualTo("person");
    assertThat(route.responseBody()).isEmpty();
    assertThat(route.fullMethodName()).isEqualTo("bridge.people.v1.PeopleDirectoryService/CreatePerson");
    assertThat(TABLE.match("GET", "/v1/echoes").orElseThrow().route().responseBody()).isEqualTo("echoes");
  }

  @Test
  void matchesTheRealContracts() {
    assertThat(rpc("POST", "/v1/people")).isEqualTo("bridge.people.v1.PeopleDirectoryService/CreatePerson");
    assertThat(rpc("GET", "/v1/people/p1")).isEqualTo("bridge.people.v1.PeopleDirectoryService/GetPerson");
    assertThat(vars("GET", "/v1/people/p1")).isEqualTo(Map.of("name", "people/p1"));
    assertThat(rpc("POST", "/v1/people/p1/consents")).isEqualTo("bridge.consent.v1.ConsentService/CreateConsent");
    assertThat(rpc("GET", "/v1/people/p1/consents")).isEqualTo("bridge.consent.v1.ConsentService/ListConsents");
    assertThat(vars("GET", "/v1/people/p1/consents?pageSize=5")).isEqualTo(Map.of("parent", "people/p1"));
    assertThat(rpc("GET", "/v1/people/p1/claims/c1")).isEqualTo("bridge.benefits.v1.BenefitsLiaisonService/GetClaim");
    assertThat(vars("GET", "/v1/people/p1/claims/c1")).isEqualTo(Map.of("name", "people/p1/claims/c1"));
    assertThat(rpc("GET", "/v1/referrals/r1")).isEqualTo("bridge.referrals.v1.ReferralService/GetReferral");
  }

  @Test
  void matchesTheEchoService() {
    assertThat(rpc("POST", "/v1/echoes")).isEqualTo("bridge.testing.v1.EchoService/CreateEcho");
    assertThat(rpc("GET", "/v1/echoes")).isEqualTo("bridge.testing.v1.EchoService/ListEchoes");
    assertThat(rpc("GET", "/v1/echoes/e1")).isEqualTo("bridge.testing.v1.EchoService/GetEcho");
    assertThat(rpc("DELETE", "/v1/echoes/e1")).isEqualTo("bridge.testing.v1.EchoService/DeleteEcho");
    assertThat(rpc("PATCH", "/v1/echoes/e1")).isEqualTo("bridge.testing.v1.EchoService/UpdateEcho");
    assertThat(vars("PATCH", "/v1/echoes/e1")).isEqualTo(Map.of("echo.name", "echoes/e1"));
    assertThat(rpc("POST", "/v1/echoes/e1:shout")).isEqualTo("bridge.testing.v1.EchoService/ShoutEcho");
    assertThat(vars("POST", "/v1/echoes/e1:shout")).isEqualTo(Map.of("name", "echoes/e1"));
    assertThat(rpc("POST", "/v1/echoes/e1/replies")).isEqualTo("bridge.testing.v1.EchoService/CreateReply");
    assertThat(rpc("PUT", "/v1/echoes/e1/replies/r1")).isEqualTo("bridge.testing.v1.EchoService/CreateReply");
    assertThat(vars("PUT", "/v1/echoes/e1/replies/r1")).isEqualTo(Map.of("reply.name", "echoes/e1/replies/r1"));
    assertThat(rpc("GET", "/v1/archives/a/b/c")).isEqualTo("bridge.testing.v1.EchoService/GetArchive");
    assertThat(vars("GET", "/v1/archives/a/b/c")).isEqualTo(Map.of("name", "archives/a/b/c"));
  }

  @Test
  void wrongMethodIsNotAMatchButTheCallerCanAnswer405() {
    assertThat(TABLE.match("PUT", "/v1/people")).isEmpty();
    assertThat(TABLE.hasPath("/v1/people")).isTrue();
    assertThat(TABLE.allowedMethods("/v1/people")).containsExactly("POST");
    assertThat(TABLE.allowedMethods("/v1/echoes/e1")).containsExactly("DELETE", "GET", "PATCH");
    assertThat(TABLE.allowedMethods("/v1/people/p1/consents")).containsExactly("GET", "POST");
    // a known verb is split off: GET on a custom method's path is a 405, not GetEcho
    assertThat(TABLE.match("GET", "/v1/echoes/e1:shout")).isEmpty();
    assertThat(TABLE.allowedMethods("/v1/echoes/e1:shout")).containsExactly("POST");
    assertThat(TABLE.match("get", "/v1/people/p1")).as("methods are case-sensitive").isEmpty();
  }

  @Test
  void unknownPathsAreNotFound() {
    for (String path : List.of("/v1/nothing", "/v1/people/", "/v1/people/p1/", "/v2/people", "/v1//people",
        "", "people", "/", "/v1/people/p1/consents/c1/x", "/v1/people/p1/unknown")) {
      assertThat(TABLE.hasPath(path)).as(path).isFalse();
      assertThat(TABLE.match("GET", path)).as(path).isEmpty();
    }
    assertThat(TABLE.match(null, "/v1/people")).isEmpty();
    assertThat(TABLE.match("GET", null)).isEmpty();
    assertThat(TABLE.hasPath(null)).isFalse();
  }

  @Test
  void anUnknownVerbIsPartOfTheResourceId() {
    assertThat(vars("GET", "/v1/echoes/e1:whisper")).isEqualTo(Map.of("name", "echoes/e1:whisper"));
    // the streaming method's verb is not routed, so not a verb either
    assertThat(vars("GET", "/v1/echoes/e1:stream")).isEqualTo(Map.of("name", "echoes/e1:stream"));
    assertThat(TABLE.match("POST", "/v1/echoes/:shout")).isEmpty();
  }

  @Test
  void literalsBeatWildcardsAndTheLookupBacktracks() {
    RouteTable t = Synthetic.service()
        .rpc("ByName", get("/v1/{name=echoes/*}"))
        .rpc("Special", get("/v1/echoes/special"))
        .rpc("SpecialX", get("/v1/echoes/special/x"))
        .rpc("AnyY", get("/v1/{name=echoes/*}/y"))
        .rpc("Archive", get("/v1/{name=archives/**}"))
        .rpc("Latest", get("/v1/archives/latest"))
        .table();
    assertThat(t.match("GET", "/v1/echoes/special").orElseThrow().route().method().getName()).isEqualTo("Special");
    assertThat(t.match("GET", "/v1/echoes/other").orElseThrow().route().method().getName()).isEqualTo("ByName");
    assertThat(t.match("GET", "/v1/echoes/special/x").orElseThrow().route().method().getName()).isEqualTo("SpecialX");
    RouteMatch backtracked = t.match("GET", "/v1/echoes/special/y").orElseThrow();
    assertThat(backtracked.route().method().getName()).isEqualTo("AnyY");
    assertThat(backtracked.pathVariables()).isEqualTo(Map.of("name", "echoes/special"));
    assertThat(t.match("GET", "/v1/archives/latest").orElseThrow().route().method().getName()).isEqualTo("Latest");
    assertThat(t.match("GET", "/v1/archives/latest/more").orElseThrow().route().method().getName()).isEqualTo("Archive");
    assertThat(t.match("GET", "/v1/archives").orElseThrow().route().method().getName()).isEqualTo("Archive");
  }

  @Test
  void customHttpMethodKinds() {
    RouteTable t = Synthetic.service()
        .rpc("Head", HttpRule.newBuilder().setCustom(CustomHttpPattern.newBuilder().setKind("head").setPath("/v1/{name=echoes/*}")))
        .table();
    assertThat(t.match("HEAD", "/v1/echoes/e1")).isPresent();
  }

  @Test
  void badContractsFailWhenTheTableIsBuilt() {
    assertThatThrownBy(() -> Synthetic.service()
        .rpc("A", get("/v1/{name=echoes/*}"))
        .rpc("B", get("/v1/echoes/{name}"))
        .table())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two RPCs bind GET /v1/echoes/*")
        .hasMessageContaining("SyntheticService/A").hasMessageContaining("SyntheticService/B");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", post("/v1/echoes", "nope")).table())
        .hasMessageContaining("body field 'nope'");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", get("/v1/echoes").setResponseBody("nope")).table())
        .hasMessageContaining("response_body 'nope'");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", get("/v1/{nope=echoes/*}")).table())
        .hasMessageContaining("no field 'nope'");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", get("/v1/{tags=echoes/*}")).table())
        .hasMessageContaining("singular scalar");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", get("/v1/{filter=echoes/*}")).table())
        .hasMessageContaining("singular scalar");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", get("/v1/{tag_messages.key}")).table())
        .hasMessageContaining("tag_messages");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", get("/v1/{name=echoes/*")).table())
        .hasMessageContaining("SyntheticService.A").hasMessageContaining("invalid path template");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", HttpRule.newBuilder()).table())
        .hasMessageContaining("no HTTP method and path");
    assertThatThrownBy(() -> Synthetic.service().rpc("A", get("/v1/a")
            .addAdditionalBindings(get("/v1/b").addAdditionalBindings(get("/v1/c")))).table())
        .hasMessageContaining("additional_bindings");
    // the same template under two HTTP methods is fine
    assertThat(Synthetic.service().rpc("A", get("/v1/{name=echoes/*}"))
        .rpc("B", post("/v1/{name=echoes/*}", "*")).table().routes()).hasSize(2);
  }

  @Test
  void nestedScalarPathVariables() {
    RouteTable t = Synthetic.service().rpc("BySize", get("/v1/sizes/{filter.min_size}")).table();
    RouteMatch m = t.match("GET", "/v1/sizes/5").orElseThrow();
    assertThat(m.pathVariables()).isEqualTo(Map.of("filter.min_size", "5"));
    var request = Fixtures.TRANSCODER.toRequest(m, null, null);
    assertThat(request.toString()).contains("min_size: 5");
    RouteMatch bad = t.match("GET", "/v1/sizes/five").orElseThrow();
    assertThatThrownBy(() -> Fixtures.TRANSCODER.toRequest(bad, null, null))
        .isInstanceOfSatisfying(TranscodingException.class, e -> {
          assertThat(e.field()).isEqualTo("filter.min_size");
          assertThat(e.reason()).isEqualTo(TranscodingException.Reason.INVALID_VALUE);
        });
  }

  @Test
  void typeRegistryKnowsTheMessages() {
    assertThat(TABLE.typeRegistry().find("bridge.people.v1.Person")).isNotNull();
    assertThat(TABLE.typeRegistry().find("google.type.Date")).isNotNull();
  }
}

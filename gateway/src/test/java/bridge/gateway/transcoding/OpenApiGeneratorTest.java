package bridge.gateway.transcoding;

import static bridge.gateway.transcoding.Fixtures.TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.testing.v1.EchoProto;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenApiGeneratorTest {

  private static String text;
  private static JsonObject doc;

  @BeforeAll
  static void generate() {
    text = OpenApiGenerator.generate(TABLE, "Bridge API", "v1");
    doc = JsonParser.parseString(text).getAsJsonObject();
  }

  private static JsonObject op(String path, String method) {
    JsonObject item = doc.getAsJsonObject("paths").getAsJsonObject(path);
    assertThat(item).as("path " + path).isNotNull();
    JsonObject op = item.getAsJsonObject(method);
    assertThat(op).as(method + " " + path).isNotNull();
    return op;
  }

  private static JsonObject schema(String name) {
    JsonObject s = doc.getAsJsonObject("components").getAsJsonObject("schemas").getAsJsonObject(name);
    assertThat(s).as("schema " + name).isNotNull();
    return s;
  }

  private static JsonObject param(JsonObject op, String name) {
    for (JsonElement p : op.getAsJsonArray("parameters")) {
      if (p.getAsJsonObject().get("name").getAsString().equals(name)) {
        return p.getAsJsonObject();
      }
    }
    return null;
  }

  private static List<String> paramNames(JsonObject op, String in) {
    List<String> names = new ArrayList<>();
    if (op.has("parameters")) {
      for (JsonElement p : op.getAsJsonArray("parameters")) {
        if (p.getAsJsonObject().get("in").getAsString().equals(in)) {
          names.add(p.getAsJsonObject().get("name").getAsString());
        }
      }
    }
    return names;
  }

  private static JsonObject prop(String schema, String property) {
    return schema(schema).getAsJsonObject("properties").getAsJsonObject(property);
  }

  @Test
  void topLevelStructure() {
    assertThat(doc.get("openapi").getAsString()).isEqualTo("3.0.3");
    assertThat(doc.getAsJsonObject("info").get("title").getAsString()).isEqualTo("Bridge API");
    assertThat(doc.getAsJsonObject("info").get("version").getAsString()).isEqualTo("v1");
    assertThat(doc.getAsJsonArray("security").get(0).getAsJsonObject().has("bearerAuth")).isTrue();
    JsonObject bearer = doc.getAsJsonObject("components").getAsJsonObject("securitySchemes").getAsJsonObject("bearerAuth");
    assertThat(bearer.get("type").getAsString()).isEqualTo("http");
    assertThat(bearer.get("scheme").getAsString()).isEqualTo("bearer");
    assertThat(bearer.get("bearerFormat").getAsString()).isEqualTo("JWT");
    assertThat(doc.getAsJsonArray("tags").toString()).contains("PeopleDirectoryService", "ConsentService", "EchoService");
  }

  @Test
  void everyRouteIsAnOperationWithMatchingPathParameters() {
    Set<String> operationIds = new HashSet<>();
    for (HttpRoute route : TABLE.routes()) {
      String path = route.template().toOpenApiPath();
      JsonObject op = op(path, route.httpMethod().toLowerCase());
      assertThat(op.get("x-grpc-method").getAsString()).isEqualTo(route.fullMethodName());
      assertThat(operationIds.add(op.get("operationId").getAsString())).as("unique operationId").isTrue();
      assertThat(op.getAsJsonObject("responses").has("200")).isTrue();
      assertThat(op.getAsJsonObject("responses").getAsJsonObject("default").get("$ref").getAsString())
          .isEqualTo("#/components/responses/Problem");
      List<String> inPath = new ArrayList<>();
      Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
      while (m.find()) {
        inPath.add(m.group(1));
      }
      assertThat(paramNames(op, "path")).as(path).containsExactlyElementsOf(inPath);
      for (String name : inPath) {
        assertThat(param(op, name).get("required").getAsBoolean()).isTrue();
      }
    }
    int operations = 0;
    for (Map.Entry<String, JsonElement> item : doc.getAsJsonObject("paths").entrySet()) {
      operations += item.getValue().getAsJsonObject().size();
    }
    assertThat(operations).isEqualTo(TABLE.routes().size());
    assertThat(operationIds).contains("PeopleDirectoryService_GetPerson", "EchoService_CreateReply", "EchoService_CreateReply_2");
  }

  @Test
  void realContracts() {
    JsonObject create = op("/v1/people", "post");
    assertThat(create.getAsJsonObject("requestBody").get("required").getAsBoolean()).isTrue();
    assertThat(create.getAsJsonObject("requestBody").getAsJsonObject("content").getAsJsonObject("application/json")
        .getAsJsonObject("schema").get("$ref").getAsString()).isEqualTo("#/components/schemas/bridge.people.v1.Person");
    assertThat(paramNames(create, "query")).containsExactlyInAnyOrder("requestId", "confirmNewPerson");
    assertThat(paramNames(create, "header")).containsExactly("Idempotency-Key");

    JsonObject get = op("/v1/people/{person}", "get");
    assertThat(get.has("requestBody")).isFalse();
    assertThat(param(get, "person").get("description").getAsString())
        .isEqualTo("The `{person}` part of `people/{person}`, the request field `name`.");
    assertThat(get.getAsJsonObject("responses").getAsJsonObject("200").getAsJsonObject("content")
        .getAsJsonObject("application/json").getAsJsonObject("schema").get("$ref").getAsString())
        .isEqualTo("#/components/schemas/bridge.people.v1.Person");

    JsonObject list = op("/v1/people/{person}/consents", "get");
    assertThat(paramNames(list, "query")).containsExactly("pageSize", "pageToken");
    assertThat(param(list, "pageSize").getAsJsonObject("schema").get("format").getAsString()).isEqualTo("int32");
    assertThat(param(list, "pageSize").get("description").getAsString()).contains("maximum number of items");
    assertThat(param(create, "requestId").get("description").getAsString()).startsWith("Idempotency key");
    assertThat(op("/v1/people/{person}/consents", "post").getAsJsonObject("requestBody").toString())
        .contains("bridge.consent.v1.Consent");
    op("/v1/people/{person}/claims/{claim}", "get");
  }

  @Test
  void echoService() {
    JsonObject get = op("/v1/echoes/{echo}", "get");
    assertThat(paramNames(get, "path")).containsExactly("echo");
    assertThat(paramNames(get, "query")).contains("view", "tags", "filter.minSize", "filter.volumes", "filter.after",
            "pageSize", "includeDeleted", "maxSize", "readMask", "maxAge", "strict", "token", "numbers", "byAgency",
            "smallUnsigned", "weight")
        .doesNotContain("name", "labels", "tagMessages", "filter", "filter.inner.minSize");
    assertThat(param(get, "view").getAsJsonObject("schema").get("$ref").getAsString())
        .isEqualTo("#/components/schemas/bridge.testing.v1.EchoView");
    assertThat(param(get, "tags").getAsJsonObject("schema").get("type").getAsString()).isEqualTo("array");
    assertThat(param(get, "maxSize").getAsJsonObject("schema").toString()).contains("\"type\":\"string\"", "int64");
    assertThat(param(get, "filter.after").getAsJsonObject("schema").get("format").getAsString()).isEqualTo("date-time");
    assertThat(param(get, "strict").getAsJsonObject("schema").get("nullable").getAsBoolean()).isTrue();
    assertThat(op("/v1/echoes/{echo}", "delete")).isNotNull();
    assertThat(op("/v1/echoes/{echo}", "patch").getAsJsonObject("requestBody").toString()).contains("bridge.testing.v1.Echo");
    assertThat(paramNames(op("/v1/echoes/{echo}", "patch"), "query")).containsExactly("updateMask");

    // body "*": no query parameters; the path-bound field is left out of the body schema
    JsonObject shout = op("/v1/echoes/{echo}:shout", "post");
    assertThat(paramNames(shout, "query")).isEmpty();
    JsonObject shoutBody = shout.getAsJsonObject("requestBody").getAsJsonObject("content")
        .getAsJsonObject("application/json").getAsJsonObject("schema");
    assertThat(shoutBody.getAsJsonObject("properties").keySet()).containsExactly("volume", "times");
    assertThat(shout.getAsJsonObject("requestBody").get("required").getAsBoolean()).isFalse();
    JsonObject createEcho = op("/v1/echoes", "post");
    assertThat(createEcho.getAsJsonObject("requestBody").toString()).contains("#/components/schemas/bridge.testing.v1.CreateEchoRequest");
    assertThat(paramNames(createEcho, "header")).containsExactly("Idempotency-Key");

    // response_body: the list field
    JsonObject list = op("/v1/echoes", "get");
    JsonObject listSchema = list.getAsJsonObject("responses").getAsJsonObject("200").getAsJsonObject("content")
        .getAsJsonObject("application/json").getAsJsonObject("schema");
    assertThat(listSchema.get("type").getAsString()).isEqualTo("array");
    assertThat(listSchema.getAsJsonObject("items").get("$ref").getAsString()).isEqualTo("#/components/schemas/bridge.testing.v1.Echo");

    op("/v1/echoes/{echo}/replies", "post");
    op("/v1/echoes/{echo}/replies/{reply}", "put");
    assertThat(param(op("/v1/archives/{archivePath}", "get"), "archivePath").get("description").getAsString())
        .contains("May span several segments");
    assertThat(doc.getAsJsonObject("paths").keySet()).noneMatch(p -> p.contains(":stream"));
  }

  @Test
  void schemasFollowTheCanonicalJsonMapping() {
    JsonObject person = schema("bridge.people.v1.Person");
    assertThat(person.get("type").getAsString()).isEqualTo("object");
    assertThat(person.getAsJsonArray("required").toString()).isEqualTo("[\"preferredName\"]");
    assertThat(prop("bridge.people.v1.Person", "name").get("readOnly").getAsBoolean()).isTrue();
    assertThat(prop("bridge.people.v1.Person", "createTime").toString())
        .isEqualTo("{\"type\":\"string\",\"format\":\"date-time\",\"example\":\"2024-05-01T12:00:00Z\",\"readOnly\":true}");
    assertThat(prop("bridge.people.v1.Person", "dateOfBirth").get("$ref").getAsString()).isEqualTo("#/components/schemas/google.type.Date");
    assertThat(prop("bridge.people.v1.Person", "registeredBy").toString())
        .isEqualTo("{\"allOf\":[{\"$ref\":\"#/components/schemas/bridge.common.v1.Actor\"}],\"readOnly\":true}");
    assertThat(prop("bridge.people.v1.Person", "withheldCategories").toString())
        .isEqualTo("{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/bridge.common.v1.DataCategory\"},\"readOnly\":true}");
    assertThat(schema("google.type.Date").getAsJsonObject("properties").keySet()).containsExactly("year", "month", "day");
    assertThat(schema("bridge.people.v1.IdentifierType").get("type").getAsString()).isEqualTo("string");
    assertThat(schema("bridge.people.v1.IdentifierType").getAsJsonArray("enum").toString()).contains("IDENTIFIER_TYPE_NHS_NUMBER");
    assertThat(schema("bridge.people.v1.Identifier").getAsJsonArray("required").toString()).isEqualTo("[\"type\",\"value\"]");

    assertThat(prop("bridge.testing.v1.Echo", "sizeBytes").toString()).isEqualTo("{\"type\":\"string\",\"format\":\"int64\"}");
    assertThat(prop("bridge.testing.v1.Echo", "bigCounter").toString()).isEqualTo("{\"type\":\"string\",\"format\":\"uint64\"}");
    assertThat(prop("bridge.testing.v1.Echo", "payload").toString()).isEqualTo("{\"type\":\"string\",\"format\":\"byte\"}");
    assertThat(prop("bridge.testing.v1.Echo", "repeatCount").toString()).isEqualTo("{\"type\":\"integer\",\"format\":\"int32\"}");
    assertThat(prop("bridge.testing.v1.Echo", "loud").toString()).isEqualTo("{\"type\":\"boolean\"}");
    assertThat(prop("bridge.testing.v1.Echo", "ratio").toString()).isEqualTo("{\"type\":\"number\",\"format\":\"double\"}");
    assertThat(prop("bridge.testing.v1.Echo", "labels").toString())
        .isEqualTo("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}");
    assertThat(prop("bridge.testing.v1.Echo", "tagsByNumber").get("description").getAsString()).contains("Keys are int32");
    assertThat(prop("bridge.testing.v1.Echo", "tags").toString())
        .isEqualTo("{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/bridge.testing.v1.Tag\"}}");
    assertThat(prop("bridge.testing.v1.Echo", "maxReplies").toString()).isEqualTo("{\"type\":\"integer\",\"format\":\"int32\",\"nullable\":true}");
    assertThat(prop("bridge.testing.v1.Echo", "delay").get("pattern").getAsString()).isNotEmpty();
    assertThat(prop("bridge.testing.v1.Echo", "metadata").get("type").getAsString()).isEqualTo("object");
    assertThat(prop("bridge.testing.v1.Echo", "secret").get("writeOnly").getAsBoolean()).isTrue();
    assertThat(prop("bridge.testing.v1.Echo", "person").get("description").getAsString()).isEqualTo("At most one of person, agency may be set.");
    assertThat(prop("bridge.testing.v1.Echo", "parentEcho").getAsJsonArray("allOf").get(0).getAsJsonObject().get("$ref").getAsString())
        .isEqualTo("#/components/schemas/bridge.testing.v1.Echo");
    assertThat(schema("bridge.testing.v1.Volume").getAsJsonArray("enum").toString())
        .isEqualTo("[\"VOLUME_UNSPECIFIED\",\"VOLUME_QUIET\",\"VOLUME_LOUD\"]");
    assertThat(schema("bridge.testing.v1.Echo").getAsJsonArray("required").toString()).isEqualTo("[\"text\"]");
  }

  @Test
  void problemDetails() {
    JsonObject problem = schema("Problem");
    assertThat(problem.getAsJsonObject("properties").keySet())
        .containsExactly("type", "title", "status", "detail", "instance", "requestId", "errors");
    assertThat(problem.getAsJsonObject("properties").getAsJsonObject("errors").getAsJsonObject("items").get("$ref").getAsString())
        .isEqualTo("#/components/schemas/FieldViolation");
    assertThat(schema("FieldViolation").getAsJsonObject("properties").keySet()).containsExactly("field", "description");
    JsonObject response = doc.getAsJsonObject("components").getAsJsonObject("responses").getAsJsonObject("Problem");
    assertThat(response.getAsJsonObject("content").getAsJsonObject("application/problem+json").getAsJsonObject("schema")
        .get("$ref").getAsString()).isEqualTo("#/components/schemas/Problem");
  }

  @Test
  void everyReferenceResolvesAndEverySchemaIsReferenced() {
    Set<String> refs = new HashSet<>();
    collectRefs(doc, refs);
    JsonObject components = doc.getAsJsonObject("components");
    for (String ref : refs) {
      String[] parts = ref.substring(2).split("/");
      assertThat(parts[0]).isEqualTo("components");
      assertThat(components.getAsJsonObject(parts[1]).has(parts[2])).as(ref).isTrue();
    }
    for (String name : components.getAsJsonObject("schemas").keySet()) {
      assertThat(refs).as("schema " + name + " is used").contains("#/components/schemas/" + name);
    }
    assertThat(components.getAsJsonObject("schemas").keySet()).contains(
        "bridge.people.v1.Person", "bridge.people.v1.PersonName", "bridge.people.v1.ContactDetail",
        "bridge.people.v1.CareTeamMember", "bridge.common.v1.Actor", "bridge.common.v1.AgencyType",
        "bridge.consent.v1.Consent", "bridge.consent.v1.Recipient", "bridge.consent.v1.ListConsentsResponse",
        "google.type.Date", "bridge.testing.v1.Echo", "bridge.testing.v1.Tag", "bridge.testing.v1.EchoView");
  }

  private static void collectRefs(JsonElement e, Set<String> refs) {
    if (e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> en : e.getAsJsonObject().entrySet()) {
        if (en.getKey().equals("$ref")) {
          refs.add(en.getValue().getAsString());
        } else {
          collectRefs(en.getValue(), refs);
        }
      }
    } else if (e.isJsonArray()) {
      for (JsonElement x : (JsonArray) e) {
        collectRefs(x, refs);
      }
    }
  }

  @Test
  void deterministic() {
    assertThat(OpenApiGenerator.generate(TABLE, "Bridge API", "v1")).isEqualTo(text);
  }

  @Test
  void commentsBecomeDescriptionsWhenDescriptorsCarrySourceInfo() throws Exception {
    FileDescriptorProto proto = EchoProto.getDescriptor().toProto();
    int echoIndex = EchoProto.getDescriptor().findMessageTypeByName("Echo").getIndex();
    int textIndex = EchoProto.getDescriptor().findMessageTypeByName("Echo").findFieldByName("text").getIndex();
    int volumeIndex = EchoProto.getDescriptor().findEnumTypeByName("Volume").getIndex();
    proto = proto.toBuilder().setSourceCodeInfo(SourceCodeInfo.newBuilder()
        .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(4, echoIndex)).setLeadingComments(" An echo.\n"))
        .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(4, echoIndex, 2, textIndex))
            .setTrailingComments(" What to say.\n"))
        .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(5, volumeIndex, 2, 2))
            .setLeadingComments(" Shouting.\n"))
        .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(6, 0, 2, 0))
            .setLeadingComments(" Creates an echo. Then more.\n"))).build();
    FileDescriptor withComments = FileDescriptor.buildFrom(proto,
        EchoProto.getDescriptor().getDependencies().toArray(new FileDescriptor[0]));
    JsonObject d = JsonParser.parseString(
        OpenApiGenerator.generate(RouteTable.of(withComments.getServices()), "t", "1")).getAsJsonObject();
    JsonObject schemas = d.getAsJsonObject("components").getAsJsonObject("schemas");
    assertThat(schemas.getAsJsonObject("bridge.testing.v1.Echo").get("description").getAsString()).isEqualTo("An echo.");
    assertThat(schemas.getAsJsonObject("bridge.testing.v1.Echo").getAsJsonObject("properties").getAsJsonObject("text")
        .get("description").getAsString()).isEqualTo("What to say.");
    assertThat(schemas.getAsJsonObject("bridge.testing.v1.Volume").get("description").getAsString()).isEqualTo("- `VOLUME_LOUD`: Shouting.");
    JsonObject create = d.getAsJsonObject("paths").getAsJsonObject("/v1/echoes").getAsJsonObject("post");
    assertThat(create.get("summary").getAsString()).isEqualTo("Creates an echo.");
    assertThat(create.get("description").getAsString()).isEqualTo("Creates an echo. Then more.");
  }
}

package bridge.gateway.transcoding;

import static bridge.gateway.transcoding.Fixtures.TRANSCODER;
import static bridge.gateway.transcoding.Fixtures.match;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.DataCategory;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PersonName;
import bridge.proto.testing.v1.CreateEchoRequest;
import bridge.proto.testing.v1.Echo;
import bridge.proto.testing.v1.ListEchoesResponse;
import bridge.proto.testing.v1.Tag;
import bridge.proto.testing.v1.Volume;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.util.Timestamps;
import com.google.type.Date;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseJsonTest {

  private static String json(Message response, String method, String path) {
    return new String(TRANSCODER.toJson(response, match(method, path).route()), StandardCharsets.UTF_8);
  }

  private static final Person PERSON = Person.newBuilder()
      .setName("people/p1")
      .setPreferredName(PersonName.newBuilder().setGivenNames("Ann"))
      .setDateOfBirth(Date.newBuilder().setYear(1990).setMonth(2).setDay(3))
      .setCreateTime(parse("2024-05-01T12:00:00Z"))
      .addWithheldCategories(DataCategory.DATA_CATEGORY_MENTAL_HEALTH)
      .build();

  private static com.google.protobuf.Timestamp parse(String s) {
    try {
      return Timestamps.parse(s);
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void canonicalCompactJsonWithoutDefaults() {
    assertThat(json(PERSON, "GET", "/v1/people/p1")).isEqualTo(
        "{\"name\":\"people/p1\",\"preferredName\":{\"givenNames\":\"Ann\"},"
            + "\"dateOfBirth\":{\"year\":1990,\"month\":2,\"day\":3},\"createTime\":\"2024-05-01T12:00:00Z\","
            + "\"withheldCategories\":[\"DATA_CATEGORY_MENTAL_HEALTH\"]}");
  }

  @Test
  void scalarsOfEveryKind() {
    Echo echo = Echo.newBuilder().setText("hi").setSizeBytes(42).setBigCounter(-1).setPayload(ByteString.copyFromUtf8("hi"))
        .setVolume(Volume.VOLUME_LOUD).setRatio(Double.NaN).putLabels("a", "b").setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(500_000_000))
        .setMaxReplies(com.google.protobuf.Int32Value.of(0)).build();
    assertThat(json(echo, "GET", "/v1/echoes/e1")).isEqualTo(
        "{\"text\":\"hi\",\"volume\":\"VOLUME_LOUD\",\"labels\":{\"a\":\"b\"},\"sizeBytes\":\"42\",\"payload\":\"aGk=\","
            + "\"delay\":\"1.500s\",\"maxReplies\":0,\"ratio\":\"NaN\",\"bigCounter\":\"18446744073709551615\"}");
    assertThat(json(Echo.getDefaultInstance(), "GET", "/v1/echoes/e1")).isEqualTo("{}");
  }

  @Test
  void dynamicMessagesPrintTheSame() throws Exception {
    DynamicMessage dynamic = DynamicMessage.parseFrom(Person.getDescriptor(), PERSON.toByteString());
    assertThat(json(dynamic, "GET", "/v1/people/p1")).isEqualTo(json(PERSON, "GET", "/v1/people/p1"));
  }

  @Test
  void emptyResponse() {
    assertThat(json(Empty.getDefaultInstance(), "DELETE", "/v1/echoes/e1")).isEqualTo("{}");
  }

  @Test
  void responseBodyRepeatedMessageField() {
    ListEchoesResponse list = ListEchoesResponse.newBuilder()
        .addEchoes(Echo.newBuilder().setText("a"))
        .addEchoes(Echo.newBuilder().setText("b").addTags(Tag.newBuilder().setKey("k")))
        .setNextPageToken("next")
        .build();
    assertThat(json(list, "GET", "/v1/echoes")).isEqualTo("[{\"text\":\"a\"},{\"text\":\"b\",\"tags\":[{\"key\":\"k\"}]}]");
    assertThat(json(ListEchoesResponse.getDefaultInstance(), "GET", "/v1/echoes")).isEqualTo("[]");
  }

  @Test
  void responseBodyOtherFieldKinds() {
    RouteTable t = Synthetic.service()
        .rpc("Text", Synthetic.get("/v1/text").setResponseBody("text"))
        .rpc("Count", Synthetic.get("/v1/count").setResponseBody("repeat_count"))
        .rpc("Keywords", Synthetic.get("/v1/keywords").setResponseBody("keywords"))
        .rpc("Labels", Synthetic.get("/v1/labels").setResponseBody("labels"))
        .rpc("Time", Synthetic.get("/v1/time").setResponseBody("create_time"))
        .rpc("Date", Synthetic.get("/v1/date").setResponseBody("date"))
        .rpc("Volume", Synthetic.get("/v1/volume").setResponseBody("volume"))
        .rpc("Size", Synthetic.get("/v1/size").setResponseBody("size_bytes"))
        .rpc("MaxReplies", Synthetic.get("/v1/max").setResponseBody("max_replies"))
        .table();
    Echo echo = Echo.newBuilder().setText("hi \"there\"").addKeywords("a").putLabels("k", "v")
        .setCreateTime(parse("2024-05-01T12:00:00Z")).build();
    assertThat(print(t, "/v1/text", echo)).isEqualTo("\"hi \\\"there\\\"\"");
    assertThat(print(t, "/v1/count", echo)).isEqualTo("0");
    assertThat(print(t, "/v1/keywords", echo)).isEqualTo("[\"a\"]");
    assertThat(print(t, "/v1/keywords", Echo.getDefaultInstance())).isEqualTo("[]");
    assertThat(print(t, "/v1/labels", echo)).isEqualTo("{\"k\":\"v\"}");
    assertThat(print(t, "/v1/time", echo)).isEqualTo("\"2024-05-01T12:00:00Z\"");
    assertThat(print(t, "/v1/time", Echo.getDefaultInstance())).isEqualTo("null");
    assertThat(print(t, "/v1/date", echo)).isEqualTo("{}");
    assertThat(print(t, "/v1/volume", echo)).isEqualTo("\"VOLUME_UNSPECIFIED\"");
    assertThat(print(t, "/v1/volume", echo.toBuilder().setVolume(Volume.VOLUME_LOUD).build())).isEqualTo("\"VOLUME_LOUD\"");
    assertThat(print(t, "/v1/size", echo)).isEqualTo("\"0\"");
    assertThat(print(t, "/v1/size", echo.toBuilder().setSizeBytes(7).build())).isEqualTo("\"7\"");
    assertThat(print(t, "/v1/max", echo)).isEqualTo("null");
    assertThat(print(t, "/v1/max", echo.toBuilder().setMaxReplies(com.google.protobuf.Int32Value.of(3)).build())).isEqualTo("3");
  }

  private static String print(RouteTable t, String path, Message m) {
    return new String(TRANSCODER.toJson(m, t.match("GET", path).orElseThrow().route()), StandardCharsets.UTF_8);
  }

  @Test
  void printedJsonParsesBackToTheSameMessage() throws Exception {
    Echo echo = Echo.newBuilder().setText("round trip").setRepeatCount(3).setLoud(true).setVolume(Volume.VOLUME_QUIET)
        .setScheduledTime(parse("2024-05-01T12:00:00.123Z")).setDate(Date.newBuilder().setYear(2024).setMonth(5).setDay(1))
        .addTags(Tag.newBuilder().setKey("a").setValue("1")).putLabels("x", "y").setSizeBytes(Long.MAX_VALUE)
        .setPayload(ByteString.copyFrom(new byte[] {0, 1, (byte) 255})).addVolumes(Volume.VOLUME_LOUD)
        .setAgency("agencies/a").putTagsByNumber(-4, Tag.newBuilder().setKey("neg").build()).setBigCounter(-2)
        .setMetadata(com.google.protobuf.Struct.newBuilder().putFields("n", com.google.protobuf.Value.newBuilder().setNumberValue(1.5).build()))
        .build();
    String printed = json(echo, "GET", "/v1/echoes/e1");
    DynamicMessage request = TRANSCODER.toRequest(match("POST", "/v1/echoes"),
        ("{\"echo\":" + printed + "}").getBytes(StandardCharsets.UTF_8), null);
    assertThat(CreateEchoRequest.parseFrom(request.toByteString()).getEcho()).isEqualTo(echo);
  }
}

package bridge.gateway.transcoding;

import static bridge.gateway.transcoding.Fixtures.TRANSCODER;
import static bridge.gateway.transcoding.Fixtures.match;
import static bridge.gateway.transcoding.Fixtures.query;
import static bridge.gateway.transcoding.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.gateway.transcoding.TranscodingException.Reason;
import bridge.proto.common.v1.AgencyType;
import bridge.proto.consent.v1.CreateConsentRequest;
import bridge.proto.consent.v1.ListConsentsRequest;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.IdentifierType;
import bridge.proto.testing.v1.CreateEchoRequest;
import bridge.proto.testing.v1.CreateReplyRequest;
import bridge.proto.testing.v1.DeleteEchoRequest;
import bridge.proto.testing.v1.EchoView;
import bridge.proto.testing.v1.GetEchoRequest;
import bridge.proto.testing.v1.ShoutEchoRequest;
import bridge.proto.testing.v1.UpdateEchoRequest;
import bridge.proto.testing.v1.Volume;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.Timestamps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTranscoderTest {

  private static <T extends Message> T request(String method, String path, String body,
                                               Map<String, List<String>> query, T prototype) {
    DynamicMessage m = TRANSCODER.toRequest(match(method, path), body == null ? null : utf8(body), query);
    return convert(m, prototype);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T convert(DynamicMessage m, T prototype) {
    try {
      return (T) prototype.getParserForType().parseFrom(m.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static TranscodingException failure(String method, String path, String body, Map<String, List<String>> query) {
    try {
      TRANSCODER.toRequest(match(method, path), body == null ? null : utf8(body), query);
    } catch (TranscodingException e) {
      return e;
    }
    throw new AssertionError("expected a TranscodingException");
  }

  // ---- body rules

  @Test
  void bodyFieldRule_jsonIsThatField() {
    CreatePersonRequest r = request("POST", "/v1/people", """
        {
          "preferredName": {"givenNames": "Ann", "family_name": "Lee"},
          "dateOfBirth": {"year": 1990, "month": 2, "day": 3},
          "identifiers": [{"type": "IDENTIFIER_TYPE_NHS_NUMBER", "value": "943 476 5919"}],
          "contactDetails": [{"method": "CONTACT_METHOD_PHONE", "value": "0700", "safeToContact": true}]
        }""", null, CreatePersonRequest.getDefaultInstance());
    assertThat(r.getPerson().getPreferredName().getGivenNames()).isEqualTo("Ann");
    assertThat(r.getPerson().getPreferredName().getFamilyName()).isEqualTo("Lee");
    assertThat(r.getPerson().getDateOfBirth().getYear()).isEqualTo(1990);
    assertThat(r.getPerson().getIdentifiers(0).getType()).isEqualTo(IdentifierType.IDENTIFIER_TYPE_NHS_NUMBER);
    assertThat(r.getPerson().getContactDetails(0).getSafeToContact()).isTrue();
    assertThat(r.getRequestId()).isEmpty();
  }

  @Test
  void bodyFieldRule_otherFieldsComeFromPathAndQuery() {
    CreateConsentRequest r = request("POST", "/v1/people/p1/consents", """
        {"recipients": [{"agencyType": "AGENCY_TYPE_TREATMENT"}], "categories": ["DATA_CATEGORY_SUBSTANCE_USE"],
         "purposes": ["PURPOSE_REFERRAL"], "method": "CONSENT_METHOD_WRITTEN",
         "validUntil": "2027-01-01T00:00:00Z"}""",
        query("requestId", "r-1"), CreateConsentRequest.getDefaultInstance());
    assertThat(r.getParent()).isEqualTo("people/p1");
    assertThat(r.getRequestId()).isEqualTo("r-1");
    assertThat(r.getConsent().getRecipients(0).getAgencyType()).isEqualTo(AgencyType.AGENCY_TYPE_TREATMENT);
    assertThat(Timestamps.toString(r.getConsent().getValidUntil())).isEqualTo("2027-01-01T00:00:00Z");

    CreateReplyRequest reply = request("POST", "/v1/echoes/e1/replies", "{\"text\": \"hi\"}",
        query("notify", "true", "request_id", "x"), CreateReplyRequest.getDefaultInstance());
    assertThat(reply.getParent()).isEqualTo("echoes/e1");
    assertThat(reply.getReply().getText()).isEqualTo("hi");
    assertThat(reply.getNotify()).isTrue();
    assertThat(reply.getRequestId()).isEqualTo("x");
  }

  @Test
  void bodyFieldRule_emptyBodyLeavesTheFieldUnset_emptyObjectSetsIt() {
    assertThat(request("POST", "/v1/people", null, null, CreatePersonRequest.getDefaultInstance()).hasPerson()).isFalse();
    assertThat(request("POST", "/v1/people", "", null, CreatePersonRequest.getDefaultInstance()).hasPerson()).isFalse();
    assertThat(request("POST", "/v1/people", " \n ", null, CreatePersonRequest.getDefaultInstance()).hasPerson()).isFalse();
    assertThat(request("POST", "/v1/people", "{}", null, CreatePersonRequest.getDefaultInstance()).hasPerson()).isTrue();
  }

  @Test
  void bodyStarRule_wholeJsonIsTheRequest() {
    CreateEchoRequest r = request("POST", "/v1/echoes", """
        {"echo": {"text": "hello", "repeatCount": 3, "loud": true, "volume": "VOLUME_LOUD",
                  "scheduledTime": "2024-05-01T12:00:00.5Z", "date": {"year": 2024, "month": 5, "day": 1},
                  "tags": [{"key": "a", "value": "1"}, {"key": "b"}], "labels": {"team": "x"},
                  "sizeBytes": "9007199254740993", "payload": "aGk=", "volumes": ["VOLUME_QUIET", 2],
                  "delay": "1.5s", "metadata": {"k": [1, "two", null]}, "maxReplies": 7,
                  "person": "people/p1", "tagsByNumber": {"5": {"key": "five"}}, "ratio": "NaN",
                  "bigCounter": 18446744073709551615, "keywords": ["x", "y"]},
         "request_id": "r1", "validateOnly": true}""", null, CreateEchoRequest.getDefaultInstance());
    assertThat(r.getRequestId()).isEqualTo("r1");
    assertThat(r.getValidateOnly()).isTrue();
    var e = r.getEcho();
    assertThat(e.getText()).isEqualTo("hello");
    assertThat(e.getRepeatCount()).isEqualTo(3);
    assertThat(e.getVolume()).isEqualTo(Volume.VOLUME_LOUD);
    assertThat(e.getScheduledTime().getNanos()).isEqualTo(500_000_000);
    assertThat(e.getDate().getDay()).isEqualTo(1);
    assertThat(e.getTagsList()).hasSize(2);
    assertThat(e.getLabelsMap()).containsEntry("team", "x");
    assertThat(e.getSizeBytes()).isEqualTo(9007199254740993L);
    assertThat(e.getPayload()).isEqualTo(ByteString.copyFromUtf8("hi"));
    assertThat(e.getVolumesList()).containsExactly(Volume.VOLUME_QUIET, Volume.VOLUME_LOUD);
    assertThat(e.getDelay().getNanos()).isEqualTo(500_000_000);
    assertThat(e.getMetadata().getFieldsOrThrow("k").getListValue().getValuesCount()).isEqualTo(3);
    assertThat(e.getMaxReplies().getValue()).isEqualTo(7);
    assertThat(e.getPerson()).isEqualTo("people/p1");
    assertThat(e.getTagsByNumberMap().get(5).getKey()).isEqualTo("five");
    assertThat(e.getRatio()).isNaN();
    assertThat(e.getBigCounter()).isEqualTo(-1L);
    assertThat(e.getKeywordsList()).containsExactly("x", "y");
  }

  @Test
  void bodyStarRule_emptyBodyIsAnEmptyRequest() {
    assertThat(request("POST", "/v1/echoes", "", null, CreateEchoRequest.getDefaultInstance()))
        .isEqualTo(CreateEchoRequest.getDefaultInstance());
  }

  @Test
  void pathVariablesWinOverTheBody() {
    ShoutEchoRequest r = request("POST", "/v1/echoes/e1:shout",
        "{\"name\": \"echoes/other\", \"times\": 3, \"volume\": \"VOLUME_LOUD\"}", null, ShoutEchoRequest.getDefaultInstance());
    assertThat(r.getName()).isEqualTo("echoes/e1");
    assertThat(r.getTimes()).isEqualTo(3);

    CreateReplyRequest put = request("PUT", "/v1/echoes/e1/replies/r1", "{\"name\": \"echoes/x/replies/y\", \"text\": \"t\"}",
        null, CreateReplyRequest.getDefaultInstance());
    assertThat(put.getReply().getName()).isEqualTo("echoes/e1/replies/r1");
    assertThat(put.getReply().getText()).isEqualTo("t");

    UpdateEchoRequest patch = request("PATCH", "/v1/echoes/e1", "{\"text\": \"new\"}",
        query("updateMask", "text,repeatCount"), UpdateEchoRequest.getDefaultInstance());
    assertThat(patch.getEcho().getName()).isEqualTo("echoes/e1");
    assertThat(patch.getEcho().getText()).isEqualTo("new");
    assertThat(patch.getUpdateMask().getPathsList()).containsExactly("text", "repeat_count");

    // path variable into a body field message even when the body is empty
    UpdateEchoRequest empty = request("PATCH", "/v1/echoes/e1", "", null, UpdateEchoRequest.getDefaultInstance());
    assertThat(empty.getEcho().getName()).isEqualTo("echoes/e1");
  }

  @Test
  void noBodyRule_bodyMustBeEmpty() {
    assertThat(request("GET", "/v1/people/p1", "", null, GetPersonRequest.getDefaultInstance()).getName()).isEqualTo("people/p1");
    assertThat(request("GET", "/v1/people/p1", "  \r\n", null, GetPersonRequest.getDefaultInstance()).getName()).isEqualTo("people/p1");
    TranscodingException e = failure("GET", "/v1/people/p1", "{}", null);
    assertThat(e.field()).isEmpty();
    assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_BODY);
    assertThat(e.description()).isEqualTo("this method does not take a request body");
    assertThat(failure("DELETE", "/v1/echoes/e1", "x", null).reason()).isEqualTo(Reason.UNEXPECTED_BODY);
  }

  @Test
  void scalarAndRepeatedAndWellKnownTypeBodyFields() {
    RouteTable t = Synthetic.service()
        .rpc("SetTags", "GetEchoRequest", Synthetic.post("/v1/{name=echoes/*}/tags", "tags"))
        .rpc("SetMask", "GetEchoRequest", Synthetic.post("/v1/{name=echoes/*}/mask", "read_mask"))
        .rpc("SetMessages", "GetEchoRequest", Synthetic.post("/v1/{name=echoes/*}/messages", "tag_messages"))
        .table();
    GetEchoRequest tags = convert(TRANSCODER.toRequest(t.match("POST", "/v1/echoes/e/tags").orElseThrow(),
        utf8("[\"a\", \"b\"]"), null), GetEchoRequest.getDefaultInstance());
    assertThat(tags.getTagsList()).containsExactly("a", "b");
    assertThat(tags.getName()).isEqualTo("echoes/e");
    GetEchoRequest mask = convert(TRANSCODER.toRequest(t.match("POST", "/v1/echoes/e/mask").orElseThrow(),
        utf8("\"a,bC\""), null), GetEchoRequest.getDefaultInstance());
    assertThat(mask.getReadMask().getPathsList()).containsExactly("a", "b_c");
    TranscodingException e = org.junit.jupiter.api.Assertions.assertThrows(TranscodingException.class, () ->
        TRANSCODER.toRequest(t.match("POST", "/v1/echoes/e/messages").orElseThrow(),
            utf8("[{\"key\": \"k\"}, {\"key\": \"k\", \"nope\": 1}]"), null));
    assertThat(e.field()).isEqualTo("tag_messages[1].nope");
    TranscodingException dup = org.junit.jupiter.api.Assertions.assertThrows(TranscodingException.class, () ->
        TRANSCODER.toRequest(t.match("POST", "/v1/echoes/e/messages").orElseThrow(),
            utf8("[{\"key\": \"k\", \"key\": \"j\"}]"), null));
    assertThat(dup.field()).isEqualTo("tag_messages[0].key");
    assertThat(dup.reason()).isEqualTo(Reason.DUPLICATE_FIELD);
  }

  // ---- query parameters

  @Test
  void queryParametersOfEveryKind() {
    GetEchoRequest r = request("GET", "/v1/echoes/e1", null, query(
        "view", "ECHO_VIEW_FULL",
        "tags", "a", "tags", "b",
        "filter.min_size", "10",
        "filter.volumes", "VOLUME_LOUD", "filter.volumes", "1",
        "filter.after", "2024-01-01T00:00:00Z",
        "filter.inner.minSize", "2",
        "pageSize", "5",
        "include_deleted", "true",
        "maxSize", "9007199254740993",
        "ratio", "0.25",
        "readMask", "text,repeatCount",
        "maxAge", "90s",
        "strict", "false",
        "token", "aGk_",
        "numbers", "1", "numbers", "-2",
        "byAgency", "agencies/a",
        "smallUnsigned", "4000000000",
        "weight", "1.5"), GetEchoRequest.getDefaultInstance());
    assertThat(r.getName()).isEqualTo("echoes/e1");
    assertThat(r.getView()).isEqualTo(EchoView.ECHO_VIEW_FULL);
    assertThat(r.getTagsList()).containsExactly("a", "b");
    assertThat(r.getFilter().getMinSize()).isEqualTo(10);
    assertThat(r.getFilter().getVolumesList()).containsExactly(Volume.VOLUME_LOUD, Volume.VOLUME_QUIET);
    assertThat(Timestamps.toString(r.getFilter().getAfter())).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(r.getFilter().getInner().getMinSize()).isEqualTo(2);
    assertThat(r.getPageSize()).isEqualTo(5);
    assertThat(r.getIncludeDeleted()).isTrue();
    assertThat(r.getMaxSize()).isEqualTo(9007199254740993L);
    assertThat(r.getRatio()).isEqualTo(0.25);
    assertThat(r.getReadMask().getPathsList()).containsExactly("text", "repeat_count");
    assertThat(r.getMaxAge().getSeconds()).isEqualTo(90);
    assertThat(r.hasStrict()).isTrue();
    assertThat(r.getStrict().getValue()).isFalse();
    assertThat(r.getToken()).isEqualTo(ByteString.copyFromUtf8("hi?"));
    assertThat(r.getNumbersList()).containsExactly(1, -2);
    assertThat(r.getByAgency()).isEqualTo("agencies/a");
    assertThat(Integer.toUnsignedLong(r.getSmallUnsigned())).isEqualTo(4_000_000_000L);
    assertThat(r.getWeight()).isEqualTo(1.5f);
  }

  @Test
  void queryParametersOnAListMethod() {
    ListConsentsRequest r = request("GET", "/v1/people/p1/consents", null,
        query("page_size", "50", "pageToken", "abc"), ListConsentsRequest.getDefaultInstance());
    assertThat(r.getParent()).isEqualTo("people/p1");
    assertThat(r.getPageSize()).isEqualTo(50);
    assertThat(r.getPageToken()).isEqualTo("abc");
    DeleteEchoRequest d = request("DELETE", "/v1/echoes/e1", null, query("etag", "\"v1\"", "force", "true"),
        DeleteEchoRequest.getDefaultInstance());
    assertThat(d.getEtag()).isEqualTo("\"v1\"");
    assertThat(d.getForce()).isTrue();
  }

  @Test
  void emptyQueryValuesAndEmptyLists() {
    GetEchoRequest r = request("GET", "/v1/echoes/e1", null, Map.of("filter.min_size", List.of(), "tags", List.of("")),
        GetEchoRequest.getDefaultInstance());
    assertThat(r.hasFilter()).as("no value: nothing set, no empty parent created").isFalse();
    assertThat(r.getTagsList()).containsExactly("");
  }

  // ---- idempotency key

  @Test
  void idempotencyKeyHeaderSetsRequestId() {
    RouteMatch create = match("POST", "/v1/people");
    DynamicMessage m = TRANSCODER.toRequest(create, utf8("{}"), null, "key-1");
    assertThat(convert(m, CreatePersonRequest.getDefaultInstance()).getRequestId()).isEqualTo("key-1");

    DynamicMessage plain = TRANSCODER.toRequest(create, utf8("{}"), null);
    assertThat(convert(TRANSCODER.withIdempotencyKey(plain, "key-2"), CreatePersonRequest.getDefaultInstance())
        .getRequestId()).isEqualTo("key-2");
    assertThat(TRANSCODER.withIdempotencyKey(plain, null)).isSameAs(plain);
    assertThat(TRANSCODER.withIdempotencyKey(plain, "")).isSameAs(plain);

    // same value in both places: fine; different: rejected
    DynamicMessage withId = TRANSCODER.toRequest(create, utf8("{}"), query("requestId", "k"));
    assertThat(TRANSCODER.withIdempotencyKey(withId, "k")).isSameAs(withId);
    assertThatThrownBy(() -> TRANSCODER.withIdempotencyKey(withId, "other"))
        .isInstanceOfSatisfying(TranscodingException.class, e -> {
          assertThat(e.field()).isEqualTo("request_id");
          assertThat(e.reason()).isEqualTo(Reason.IDEMPOTENCY_KEY_MISMATCH);
        });
    assertThatThrownBy(() -> TRANSCODER.toRequest(create, utf8("{}"), query("requestId", "k"), "other"))
        .isInstanceOf(TranscodingException.class);

    // a request without request_id is left alone
    DynamicMessage get = TRANSCODER.toRequest(match("GET", "/v1/people/p1"), null, null);
    assertThat(TRANSCODER.withIdempotencyKey(get, "k")).isSameAs(get);
  }

  @Test
  void requestsAreBuiltForTheRouteInputType() {
    DynamicMessage m = TRANSCODER.toRequest(match("GET", "/v1/people/p1"), null, null);
    assertThat(m.getDescriptorForType()).isSameAs(GetPersonRequest.getDescriptor());
  }
}

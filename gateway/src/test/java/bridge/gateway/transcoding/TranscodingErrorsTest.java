package bridge.gateway.transcoding;

import static bridge.gateway.transcoding.Fixtures.TRANSCODER;
import static bridge.gateway.transcoding.Fixtures.match;
import static bridge.gateway.transcoding.Fixtures.query;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.gateway.transcoding.TranscodingException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a request can be bad, with the exact field path the caller is told. */
class TranscodingErrorsTest {

  private static final List<TranscodingException> SEEN = new ArrayList<>();

  private static TranscodingException fail(String method, String path, byte[] body, Map<String, List<String>> query) {
    try {
      TRANSCODER.toRequest(match(method, path), body, query);
    } catch (TranscodingException e) {
      SEEN.add(e);
      return e;
    }
    throw new AssertionError("expected a TranscodingException for " + method + " " + path);
  }

  private static TranscodingException person(String json) {
    return fail("POST", "/v1/people", json.getBytes(StandardCharsets.UTF_8), null);
  }

  private static TranscodingException echo(String json) {
    return fail("POST", "/v1/echoes", json.getBytes(StandardCharsets.UTF_8), null);
  }

  private static TranscodingException getEcho(String... nameValues) {
    return fail("GET", "/v1/echoes/e1", null, query(nameValues));
  }

  private static void check(TranscodingException e, String field, Reason reason, String descriptionPart) {
    assertThat(e.field()).as("field of: " + e.getMessage()).isEqualTo(field);
    assertThat(e.reason()).as("reason of: " + e.getMessage()).isEqualTo(reason);
    assertThat(e.description()).as("description").contains(descriptionPart);
  }

  // ---- body: the brief's cases

  @Test
  void unknownField() {
    check(person("{\"nickname\": \"x\"}"), "person.nickname", Reason.UNKNOWN_FIELD, "unknown field");
    check(person("{\"preferredName\": {\"middleName\": \"x\"}}"), "person.preferred_name.middleName",
        Reason.UNKNOWN_FIELD, "unknown field");
    check(person("{\"identifiers\": [{\"value\": \"1\"}, {\"kind\": \"x\"}]}"), "person.identifiers[1].kind",
        Reason.UNKNOWN_FIELD, "unknown field");
    check(echo("{\"bogus\": 1}"), "bogus", Reason.UNKNOWN_FIELD, "unknown field");
    check(echo("{\"echo\": {\"tagsByNumber\": {\"1\": {\"nope\": 1}}}}"), "echo.tags_by_number[\"1\"].nope",
        Reason.UNKNOWN_FIELD, "unknown field");
  }

  @Test
  void wrongType() {
    check(person("{\"dateOfBirth\": {\"year\": \"abc\"}}"), "person.date_of_birth.year", Reason.INVALID_VALUE,
        "must be an integer from -2147483648 to 2147483647");
    check(person("{\"dateOfBirth\": {\"month\": 1.5}}"), "person.date_of_birth.month", Reason.INVALID_VALUE, "integer");
    check(person("{\"date_of_birth\": {\"day\": true}}"), "person.date_of_birth.day", Reason.INVALID_VALUE, "integer");
    check(person("{\"dateOfBirth\": {\"year\": 3000000000}}"), "person.date_of_birth.year", Reason.INVALID_VALUE, "integer");
    check(person("{\"contactDetails\": [{\"safeToContact\": \"yes\"}]}"), "person.contact_details[0].safe_to_contact",
        Reason.INVALID_VALUE, "must be true or false");
    check(person("{\"preferredName\": {\"givenNames\": {}}}"), "person.preferred_name.given_names",
        Reason.INVALID_VALUE, "must be a string");
    check(echo("{\"echo\": {\"sizeBytes\": \"12x\"}}"), "echo.size_bytes", Reason.INVALID_VALUE, "integer");
    check(echo("{\"echo\": {\"bigCounter\": -1}}"), "echo.big_counter", Reason.INVALID_VALUE, "from 0 to");
    check(echo("{\"echo\": {\"payload\": \"!!\"}}"), "echo.payload", Reason.INVALID_VALUE, "base64");
    check(echo("{\"echo\": {\"ratio\": \"lots\"}}"), "echo.ratio", Reason.INVALID_VALUE, "must be a number");
    check(echo("{\"echo\": {\"maxReplies\": \"x\"}}"), "echo.max_replies", Reason.INVALID_VALUE, "integer");
    check(echo("{\"echo\": {\"labels\": {\"a\": {}}}}"), "echo.labels[\"a\"]", Reason.INVALID_VALUE, "must be a string");
    check(echo("{\"echo\": {\"tagsByNumber\": {\"x\": {}}}}"), "echo.tags_by_number[\"x\"]", Reason.INVALID_VALUE,
        "is not a valid key: keys must be an integer");
    check(echo("{\"echo\": {\"keywords\": [\"a\", []]}}"), "echo.keywords[1]", Reason.INVALID_VALUE, "must be a string");
    check(echo("{\"validateOnly\": \"maybe\"}"), "validate_only", Reason.INVALID_VALUE, "true or false");
  }

  @Test
  void invalidEnumName() {
    TranscodingException e = person("{\"identifiers\": [{\"type\": \"NHS\"}]}");
    check(e, "person.identifiers[0].type", Reason.INVALID_VALUE, "unknown value \"NHS\"");
    assertThat(e.description()).contains("IDENTIFIER_TYPE_NHS_NUMBER", "IDENTIFIER_TYPE_PNC_ID");
    check(echo("{\"echo\": {\"volumes\": [\"VOLUME_LOUD\", \"SHOUTY\"]}}"), "echo.volumes[1]", Reason.INVALID_VALUE,
        "unknown value \"SHOUTY\"; must be one of VOLUME_UNSPECIFIED, VOLUME_QUIET, VOLUME_LOUD");
    check(echo("{\"echo\": {\"volume\": true}}"), "echo.volume", Reason.INVALID_VALUE, "must be one of");
  }

  @Test
  void invalidTimestampAndOtherWellKnownTypes() {
    check(echo("{\"echo\": {\"scheduledTime\": \"2024-13-01T00:00:00Z\"}}"), "echo.scheduled_time",
        Reason.INVALID_VALUE, "must be an RFC 3339 timestamp");
    check(echo("{\"echo\": {\"scheduledTime\": \"yesterday\"}}"), "echo.scheduled_time", Reason.INVALID_VALUE, "RFC 3339");
    check(echo("{\"echo\": {\"scheduledTime\": 1700000000}}"), "echo.scheduled_time", Reason.INVALID_VALUE, "RFC 3339");
    check(person("{\"createTime\": \"2024-05-01\"}"), "person.create_time", Reason.INVALID_VALUE, "RFC 3339");
    // protobuf's own parser would roll these over (to 2024-03-01, 2024-01-02T01:00): rejected instead
    check(echo("{\"echo\": {\"scheduledTime\": \"2024-02-30T00:00:00Z\"}}"), "echo.scheduled_time",
        Reason.INVALID_VALUE, "RFC 3339");
    check(echo("{\"echo\": {\"text\": \"x\", \"scheduledTime\": \"2024-01-01T25:00:00Z\"}}"), "echo.scheduled_time",
        Reason.INVALID_VALUE, "RFC 3339");
    check(getEcho("filter.after", "2023-02-29T00:00:00Z"), "filter.after", Reason.INVALID_VALUE, "RFC 3339");
    // ...but only in timestamp fields: a string field may hold any text
    TRANSCODER.toRequest(match("POST", "/v1/echoes"),
        "{\"echo\": {\"text\": \"2024-13-01T00:00:00Z\", \"scheduledTime\": \"2024-02-29T23:59:59.999Z\"}}"
            .getBytes(StandardCharsets.UTF_8), null);
    check(echo("{\"echo\": {\"delay\": \"5 minutes\"}}"), "echo.delay", Reason.INVALID_VALUE, "duration");
    check(echo("{\"echo\": {\"metadata\": [1]}}"), "echo.metadata", Reason.INVALID_VALUE, "must be a JSON object");
    check(fail("POST", "/v1/people/p1/consents", "{\"validFrom\": \"soon\"}".getBytes(StandardCharsets.UTF_8), null),
        "consent.valid_from", Reason.INVALID_VALUE, "RFC 3339");
  }

  @Test
  void malformedJson() {
    TranscodingException e = person("{\"preferredName\": ");
    check(e, "", Reason.MALFORMED_JSON, "malformed JSON at line 1, column 19");
    check(person("{\n  \"etag\": \"a\",\n  \"b\" 2\n}"), "", Reason.MALFORMED_JSON,
        "malformed JSON at line 3, column 7: expected ':' after a key");
    check(person("{} trailing"), "", Reason.MALFORMED_JSON, "unexpected content after the JSON value");
    check(person("{/* comment */}"), "", Reason.MALFORMED_JSON, "expected a key in double quotes");
    check(person("{'etag': 'x'}"), "", Reason.MALFORMED_JSON, "malformed JSON");
    check(person("{etag: \"x\"}"), "", Reason.MALFORMED_JSON, "malformed JSON");
    check(person("{\"etag\": \"x\",}"), "", Reason.MALFORMED_JSON, "malformed JSON");
    check(person("{\"etag\": \"a\tb\"}"), "", Reason.MALFORMED_JSON, "control character");
    check(person("{\"etag\": \"\\x\"}"), "", Reason.MALFORMED_JSON, "invalid escape");
    check(person("{\"dateOfBirth\": {\"year\": 01}}"), "", Reason.MALFORMED_JSON, "malformed JSON");
    check(person("{\"etag\": NaN}"), "", Reason.MALFORMED_JSON, "expected a value");
    check(person("\uFEFF{}"), "", Reason.MALFORMED_JSON, "malformed JSON");
    check(fail("POST", "/v1/people", new byte[] {'{', '"', 'e', (byte) 0xC3, '"', ':', '1', '}'}, null), "",
        Reason.MALFORMED_JSON, "not valid UTF-8");
    check(person("[".repeat(150) + "]".repeat(150)), "", Reason.MALFORMED_JSON, "nested more than 100 levels");
  }

  @Test
  void duplicateKeys() {
    check(person("{\"preferredName\": {\"givenNames\": \"a\", \"givenNames\": \"b\"}}"),
        "person.preferred_name.given_names", Reason.DUPLICATE_FIELD, "more than once");
    check(person("{\"etag\": \"a\", \"etag\": \"a\"}"), "person.etag", Reason.DUPLICATE_FIELD, "more than once");
    check(echo("{\"requestId\": \"a\", \"requestId\": \"b\"}"), "request_id", Reason.DUPLICATE_FIELD, "more than once");
    check(person("{\"identifiers\": [{}, {\"value\": \"a\", \"value\": \"b\"}]}"), "person.identifiers[1].value",
        Reason.DUPLICATE_FIELD, "more than once");
    check(echo("{\"echo\": {\"labels\": {\"a\": \"1\", \"a\": \"2\"}}}"), "echo.labels[\"a\"]",
        Reason.DUPLICATE_FIELD, "more than once");
    check(echo("{\"echo\": {\"metadata\": {\"x\": {\"y\": 1, \"y\": 2}}}}"), "echo.metadata.x.y",
        Reason.DUPLICATE_FIELD, "more than once");
    // the same key spelled with an escape is still the same key
    check(person("{\"etag\": \"a\", \"\\u0065tag\": \"b\"}"), "person.etag", Reason.DUPLICATE_FIELD, "more than once");
    // proto name and JSON name of one field
    check(person("{\"preferredName\": {}, \"preferred_name\": {}}"), "person.preferred_name", Reason.DUPLICATE_FIELD,
        "is given twice, as \"preferredName\" and \"preferred_name\"");
    // many keys (hash set path of the scanner)
    StringBuilder many = new StringBuilder("{\"echo\": {\"labels\": {");
    for (int i = 0; i < 40; i++) {
      many.append("\"k").append(i).append("\": \"v\", ");
    }
    many.append("\"k7\": \"again\"}}}");
    check(echo(many.toString()), "echo.labels[\"k7\"]", Reason.DUPLICATE_FIELD, "more than once");
  }

  @Test
  void notAnObjectWhereAnObjectIsNeeded() {
    check(person("[]"), "", Reason.INVALID_VALUE, "the request body must be a JSON object");
    check(person("\"Ann\""), "", Reason.INVALID_VALUE, "must be a JSON object");
    check(person("null"), "", Reason.INVALID_VALUE, "must be a JSON object");
    check(person("42"), "", Reason.INVALID_VALUE, "must be a JSON object");
    check(echo("[{\"echo\": {}}]"), "", Reason.INVALID_VALUE, "must be a JSON object");
    check(person("{\"preferredName\": \"Ann\"}"), "person.preferred_name", Reason.INVALID_VALUE, "must be a JSON object");
    check(person("{\"identifiers\": {}}"), "person.identifiers", Reason.INVALID_VALUE, "must be a JSON array");
    check(person("{\"identifiers\": [\"x\"]}"), "person.identifiers[0]", Reason.INVALID_VALUE, "must be a JSON object");
    check(person("{\"identifiers\": [null]}"), "person.identifiers[0]", Reason.INVALID_VALUE, "must not be null");
    check(echo("{\"echo\": {\"labels\": {\"a\": null}}}"), "echo.labels[\"a\"]", Reason.INVALID_VALUE, "must not be null");
    check(echo("{\"echo\": {\"labels\": []}}"), "echo.labels", Reason.INVALID_VALUE, "must be a JSON object");
  }

  @Test
  void twoMembersOfAOneof() {
    check(fail("POST", "/v1/people/p1/consents",
            "{\"recipients\": [{\"agency\": \"a\", \"agencyType\": \"AGENCY_TYPE_POLICE\"}]}".getBytes(StandardCharsets.UTF_8), null),
        "consent.recipients[0].agency_type", Reason.INVALID_VALUE, "cannot be set together with agency");
    // null does not count as set
    TRANSCODER.toRequest(match("POST", "/v1/people/p1/consents"),
        "{\"recipients\": [{\"agency\": \"a\", \"agencyType\": null}]}".getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void bodyWhereNoneIsAccepted() {
    check(fail("GET", "/v1/echoes/e1", "{}".getBytes(StandardCharsets.UTF_8), null), "", Reason.UNEXPECTED_BODY,
        "does not take a request body");
  }

  // ---- query parameters

  @Test
  void queryParameterErrors() {
    check(getEcho("bogus", "1"), "bogus", Reason.UNKNOWN_FIELD, "unknown query parameter");
    check(getEcho("filter.bogus", "1"), "filter.bogus", Reason.UNKNOWN_FIELD, "unknown query parameter");
    check(getEcho("page_size.x", "1"), "page_size.x", Reason.UNKNOWN_FIELD, "unknown query parameter");
    check(getEcho("view", "NOPE"), "view", Reason.INVALID_VALUE, "unknown value \"NOPE\"; must be one of ECHO_VIEW_UNSPECIFIED");
    check(getEcho("view", "7"), "view", Reason.INVALID_VALUE, "must be one of");
    check(getEcho("pageSize", "abc"), "page_size", Reason.INVALID_VALUE, "integer");
    check(getEcho("pageSize", ""), "page_size", Reason.INVALID_VALUE, "integer");
    check(getEcho("page_size", "99999999999"), "page_size", Reason.INVALID_VALUE, "integer");
    check(getEcho("includeDeleted", "yes"), "include_deleted", Reason.INVALID_VALUE, "true or false");
    check(getEcho("ratio", "0x10"), "ratio", Reason.INVALID_VALUE, "number");
    check(getEcho("weight", "1e300"), "weight", Reason.INVALID_VALUE, "number");
    check(getEcho("token", "***"), "token", Reason.INVALID_VALUE, "base64");
    check(getEcho("filter.after", "yesterday"), "filter.after", Reason.INVALID_VALUE, "RFC 3339");
    check(getEcho("maxAge", "5m"), "max_age", Reason.INVALID_VALUE, "duration");
    check(getEcho("strict", "maybe"), "strict", Reason.INVALID_VALUE, "true or false");
    check(getEcho("numbers", "1", "numbers", "x"), "numbers", Reason.INVALID_VALUE, "integer");
    check(getEcho("pageSize", "1", "pageSize", "2"), "page_size", Reason.DUPLICATE_FIELD, "more than once");
    check(getEcho("filter.min_size", "1", "filter.minSize", "2"), "filter.min_size", Reason.DUPLICATE_FIELD,
        "more than once");
    check(getEcho("name", "echoes/x"), "name", Reason.FIELD_NOT_SETTABLE, "set by the URL path");
    check(getEcho("labels", "x"), "labels", Reason.FIELD_NOT_SETTABLE, "is a map");
    check(getEcho("filter", "x"), "filter", Reason.FIELD_NOT_SETTABLE, "is a message: set its fields, as filter.<field>");
    check(getEcho("tagMessages", "x"), "tag_messages", Reason.FIELD_NOT_SETTABLE, "list of messages");
    check(getEcho("tag_messages.key", "x"), "tag_messages", Reason.FIELD_NOT_SETTABLE, "list of messages");
    check(getEcho("byAgency", "a", "byPerson", "b"), "by_person", Reason.INVALID_VALUE, "cannot be set together with by_agency");
    check(fail("POST", "/v1/echoes", "{}".getBytes(StandardCharsets.UTF_8), query("requestId", "r")), "requestId",
        Reason.FIELD_NOT_SETTABLE, "query parameters are not accepted");
    check(fail("POST", "/v1/people", "{}".getBytes(StandardCharsets.UTF_8), query("person.etag", "x")), "person.etag",
        Reason.FIELD_NOT_SETTABLE, "set by the request body");
  }

  @Test
  void bodyErrorsComeBeforeQueryErrors() {
    check(fail("POST", "/v1/people", "{\"x\":1}".getBytes(StandardCharsets.UTF_8), query("bogus", "1")),
        "person.x", Reason.UNKNOWN_FIELD, "unknown field");
  }

  @AfterAll
  static void messagesNeverLeakImplementationDetails() {
    assertThat(SEEN).hasSizeGreaterThan(60);
    for (TranscodingException e : SEEN) {
      assertThat(e.description())
          .as(e.getMessage())
          .doesNotContain("java.", "com.google", "Exception", "bridge.proto", "gson", "Gson", "\tat ", "$")
          .isNotBlank();
      assertThat(e.getStackTrace()).isEmpty();
      assertThat(e.getMessage()).isEqualTo(e.field().isEmpty() ? e.description() : e.field() + ": " + e.description());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"echo\": {\"text\": 5}}",
      "{\"echo\": {\"repeatCount\": \"7\"}}",
      "{\"echo\": {\"repeatCount\": 1e2}}",
      "{\"echo\": {\"volume\": 2}}",
      "{\"echo\": {\"text\": null, \"tags\": null, \"labels\": null}}",
  })
  void jsonFormatLeniencyThatIsKept(String body) {
    // canonical-JSON conveniences JsonFormat accepts (numbers as strings etc.) are not errors
    TRANSCODER.toRequest(match("POST", "/v1/echoes"), body.getBytes(StandardCharsets.UTF_8), null);
  }
}

package bridge.gateway.transcoding;

import static bridge.gateway.transcoding.Fixtures.TABLE;
import static bridge.gateway.transcoding.Fixtures.TRANSCODER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Not a benchmark (no JMH, a short warm-up on a shared machine): a rough per-call cost of the
 * per-request hot path, printed for the record. No timing is asserted.
 */
class TranscodingCostTest {

  private static final byte[] PERSON = ("{\"preferredName\":{\"givenNames\":\"Ann Marie\",\"familyName\":\"Lee\"},"
      + "\"dateOfBirth\":{\"year\":1990,\"month\":2,\"day\":3},"
      + "\"identifiers\":[{\"type\":\"IDENTIFIER_TYPE_NHS_NUMBER\",\"value\":\"943 476 5919\"},"
      + "{\"type\":\"IDENTIFIER_TYPE_PNC_ID\",\"value\":\"12/345678A\"}],"
      + "\"contactDetails\":[{\"method\":\"CONTACT_METHOD_PHONE\",\"value\":\"07700 900123\",\"safeToContact\":true}]}")
      .getBytes(StandardCharsets.UTF_8);

  private static final Map<String, List<String>> LIST_QUERY = Map.of("pageSize", List.of("50"), "pageToken", List.of("abc"));

  private static long sink;

  @Test
  void hotPathCost() {
    // correctness of what is measured
    assertThat(TABLE.match("GET", "/v1/people/p1/consents")).isPresent();
    TRANSCODER.toRequest(TABLE.match("POST", "/v1/people").orElseThrow(), PERSON, null);

    int warmup = 60_000;
    int n = 100_000;
    measure("RouteTable.match GET /v1/people/{id}        ", warmup, n, () -> TABLE.match("GET", "/v1/people/p1234").isPresent() ? 1 : 0);
    measure("RouteTable.match POST /v1/echoes/{id}:shout ", warmup, n, () -> TABLE.match("POST", "/v1/echoes/e1:shout").isPresent() ? 1 : 0);
    measure("RouteTable.match miss (404)                 ", warmup, n, () -> TABLE.match("GET", "/v1/nothing/here").isPresent() ? 1 : 0);
    measure("match+toRequest GET /v1/people/{id}          ", warmup, n, () ->
        TRANSCODER.toRequest(TABLE.match("GET", "/v1/people/p1234").orElseThrow(), null, null).getAllFields().size());
    measure("match+toRequest GET .../consents?pageSize&pageToken", warmup, n, () ->
        TRANSCODER.toRequest(TABLE.match("GET", "/v1/people/p1/consents").orElseThrow(), null, LIST_QUERY).getAllFields().size());
    measure("match+toRequest POST /v1/people (" + PERSON.length + " B JSON)", warmup / 3, n / 3, () ->
        TRANSCODER.toRequest(TABLE.match("POST", "/v1/people").orElseThrow(), PERSON, null, "idem-1").getAllFields().size());
    measure("Json.scan only (" + PERSON.length + " B)                 ", warmup, n, () ->
        Json.scan(new String(PERSON, StandardCharsets.UTF_8)));
  }

  private interface Op {
    int run();
  }

  private static void measure(String label, int warmup, int n, Op op) {
    for (int i = 0; i < warmup; i++) {
      sink += op.run();
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += op.run();
    }
    long ns = (System.nanoTime() - start) / n;
    System.out.println("[transcoding cost] " + label + ": " + ns + " ns/op");
  }
}

package bridge.gateway.transcoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathTemplateTest {

  private static Optional<Map<String, String>> match(String template, String path) {
    return PathTemplate.parse(template).match(path);
  }

  @Test
  void literalTemplateMatchesOnlyItsExactPath() {
    assertThat(match("/v1/people", "/v1/people")).contains(Map.of());
    assertThat(match("/v1/people", "/v1/people/")).isEmpty();
    assertThat(match("/v1/people", "/v1/people/x")).isEmpty();
    assertThat(match("/v1/people", "/v1")).isEmpty();
    assertThat(match("/v1/people", "/v1//people")).isEmpty();
    assertThat(match("/v1/people", "v1/people")).isEmpty();
    assertThat(match("/v1/people", "/v1/peoples")).isEmpty();
    assertThat(match("/v1/people", "/V1/people")).isEmpty();
    assertThat(match("/v1/people", "")).isEmpty();
    assertThat(match("/v1/people", "/")).isEmpty();
  }

  @Test
  void variableBoundToAResourcePattern() {
    assertThat(match("/v1/{name=people/*}", "/v1/people/abc")).contains(Map.of("name", "people/abc"));
    assertThat(match("/v1/{name=people/*}", "/v1/people")).isEmpty();
    assertThat(match("/v1/{name=people/*}", "/v1/people/")).isEmpty();
    assertThat(match("/v1/{name=people/*}", "/v1/people/abc/")).isEmpty();
    assertThat(match("/v1/{name=people/*}", "/v1/people/abc/def")).isEmpty();
    assertThat(match("/v1/{name=people/*}", "/v1/persons/abc")).isEmpty();
    assertThat(match("/v1/{parent=people/*}/consents", "/v1/people/p1/consents"))
        .contains(Map.of("parent", "people/p1"));
    assertThat(match("/v1/{parent=people/*}/consents", "/v1/people/p1/claims")).isEmpty();
  }

  @Test
  void simpleAndNestedAndMultipleVariables() {
    assertThat(match("/v1/{name}", "/v1/abc")).contains(Map.of("name", "abc"));
    assertThat(match("/v1/{name}", "/v1/abc/def")).isEmpty();
    assertThat(match("/v1/{book.name=shelves/*/books/*}", "/v1/shelves/s1/books/b2"))
        .contains(Map.of("book.name", "shelves/s1/books/b2"));
    assertThat(match("/v1/{name=people/*/claims/*}", "/v1/people/p1/claims"))
        .isEmpty();
    assertThat(match("/v1/{parent=people/*}/consents/{consent_id}", "/v1/people/p1/consents/c9"))
        .contains(Map.of("parent", "people/p1", "consent_id", "c9"));
    assertThat(match("/v1/*/things/{id}", "/v1/anything/things/7")).contains(Map.of("id", "7"));
  }

  @Test
  void customVerbs() {
    String t = "/v1/{name=echoes/*}:shout";
    assertThat(match(t, "/v1/echoes/e1:shout")).contains(Map.of("name", "echoes/e1"));
    assertThat(match(t, "/v1/echoes/e1")).isEmpty();
    assertThat(match(t, "/v1/echoes/e1:whisper")).isEmpty();
    assertThat(match(t, "/v1/echoes:shout")).isEmpty();
    assertThat(match(t, "/v1/echoes/:shout")).isEmpty();
    assertThat(match(t, "/v1/echoes/e1:shout/x")).isEmpty();
    assertThat(match(t, "/v1/echoes/e1/:shout")).isEmpty();
    assertThat(match("/v1/echoes:search", "/v1/echoes:search")).contains(Map.of());
    assertThat(match("/v1/echoes:search", "/v1/echoes")).isEmpty();
    assertThat(PathTemplate.parse(t).verb()).isEqualTo("shout");
  }

  @Test
  void withoutAVerbAColonIsPartOfTheSegment() {
    assertThat(match("/v1/{name=echoes/*}", "/v1/echoes/a:b")).contains(Map.of("name", "echoes/a:b"));
  }

  @Test
  void doubleWildcardMatchesZeroOrMoreSegments() {
    String t = "/v1/{name=archives/**}";
    assertThat(match(t, "/v1/archives/a/b/c")).contains(Map.of("name", "archives/a/b/c"));
    assertThat(match(t, "/v1/archives/a")).contains(Map.of("name", "archives/a"));
    assertThat(match(t, "/v1/archives")).contains(Map.of("name", "archives"));
    assertThat(match(t, "/v1/archives/a//b")).isEmpty();
    assertThat(match(t, "/v1/archives/a/")).isEmpty();
    assertThat(match(t, "/v1/other/a")).isEmpty();
    assertThat(match("/v1/{path=**}:get", "/v1/a/b:get")).contains(Map.of("path", "a/b"));
  }

  @Test
  void percentDecoding() {
    assertThat(match("/v1/{name=people/*}", "/v1/people/a%20b")).contains(Map.of("name", "people/a b"));
    assertThat(match("/v1/{name=people/*}", "/v1/people/caf%C3%A9")).contains(Map.of("name", "people/café"));
    // multi-segment variables keep an encoded slash encoded (google/api/http.proto)
    assertThat(match("/v1/{name=people/*}", "/v1/people/a%2Fb")).contains(Map.of("name", "people/a%2Fb"));
    // single-segment variables decode everything
    assertThat(match("/v1/things/{id}", "/v1/things/a%2Fb")).contains(Map.of("id", "a/b"));
    // literals compare decoded
    assertThat(match("/v1/{name=people/*}", "/v1/peo%70le/abc")).contains(Map.of("name", "people/abc"));
    // malformed escapes and invalid UTF-8 never match
    assertThat(match("/v1/{name=people/*}", "/v1/people/a%zz")).isEmpty();
    assertThat(match("/v1/{name=people/*}", "/v1/people/a%2")).isEmpty();
    assertThat(match("/v1/{name=people/*}", "/v1/people/%C3")).isEmpty();
    // '+' is not a space in a path
    assertThat(match("/v1/{name=people/*}", "/v1/people/a+b")).contains(Map.of("name", "people/a+b"));
  }

  @Test
  void queryStringIsIgnored() {
    assertThat(match("/v1/{name=people/*}", "/v1/people/abc?view=FULL")).contains(Map.of("name", "people/abc"));
    assertThat(match("/v1/{name=echoes/*}:shout", "/v1/echoes/e:shout?x=1")).contains(Map.of("name", "echoes/e"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "v1/people", "/", "/v1/", "/v1//people", "/v1/{name", "/v1/{na-me}",
      "/v1/{a}/{a}", "/v1/**/x", "/v1/x:", "/v1/{a={b}}", "/v1/{a=}", "/v1/x:a/b", "/v1/a b",
      "/v1/{name=people/*}x", "/v1/x*", "/v1/{1a}", "/v1/x?y"})
  void invalidTemplatesAreRejected(String template) {
    assertThatThrownBy(() -> PathTemplate.parse(template))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid path template");
  }

  @ParameterizedTest
  @CsvSource({
      "/v1/people,                              /v1/people",
      "/v1/{name=people/*},                     /v1/people/{person}",
      "/v1/{parent=people/*}/consents,          /v1/people/{person}/consents",
      "/v1/{name=people/*/claims/*},            /v1/people/{person}/claims/{claim}",
      "/v1/{name=echoes/*}:shout,               /v1/echoes/{echo}:shout",
      "/v1/{reply.name=echoes/*/replies/*},     /v1/echoes/{echo}/replies/{reply}",
      "/v1/{parent=people/*}/housingSituations, /v1/people/{person}/housingSituations",
      "/v1/{name},                              /v1/{name}",
      "/v1/things/{id},                         /v1/things/{id}",
      "/v1/{name=archives/**},                  /v1/archives/{archivePath}",
      "/v1/{a=people/*}/friends/{b=people/*},   /v1/people/{person}/friends/people/{person2}",
      "/v1/echoes:search,                       /v1/echoes:search",
  })
  void openApiPaths(String template, String openApi) {
    assertThat(PathTemplate.parse(template).toOpenApiPath()).isEqualTo(openApi);
  }

  @Test
  void openApiParametersNameTheirFieldAndResourcePattern() {
    var params = PathTemplate.parse("/v1/{name=people/*/claims/*}").openApiParameters();
    assertThat(params).hasSize(2);
    assertThat(params.get(0).name()).isEqualTo("person");
    assertThat(params.get(0).fieldPath()).isEqualTo("name");
    assertThat(params.get(0).resourcePattern()).isEqualTo("people/{person}/claims/{claim}");
    assertThat(params.get(1).name()).isEqualTo("claim");
  }

  @ParameterizedTest
  @CsvSource({"people,person", "echoes,echo", "replies,reply", "housingSituations,housingSituation",
      "addresses,address", "claims,claim", "cases,case", "data,dataId", "batches,batch",
      "boxes,box", "children,child", "salesPeople,salesPerson"})
  void singularOfCollections(String plural, String singular) {
    assertThat(PathTemplate.singular(plural)).isEqualTo(singular);
  }

  @Test
  void equalityIsStructuralAndToStringIsTheTemplate() {
    assertThat(PathTemplate.parse("/v1/{name=people/*}")).isEqualTo(PathTemplate.parse("/v1/{name=people/*}"))
        .hasSameHashCodeAs(PathTemplate.parse("/v1/{name=people/*}"))
        .isNotEqualTo(PathTemplate.parse("/v1/{parent=people/*}"));
    assertThat(PathTemplate.parse("/v1/{name=people/*}")).hasToString("/v1/{name=people/*}");
    assertThat(PathTemplate.parse("/v1/{book.name=shelves/*/books/*}/x/{id}").variableNames())
        .containsExactly("book.name", "id");
  }
}

package bridge.gateway.transcoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[]", "0", "-0.5e+3", "\"\"", "true", "null", " {\"a\" : [1, {\"b\": null}, \"\\u00e9\\n\"]} ",
      "{\"a\":1,\"b\":{\"a\":2}}", "[{\"a\":1},{\"a\":1}]", "\"\\ud83d\\ude00\"", "{\"a\\\"b\":1,\"a\":2}"})
  void validJson(String text) {
    assertThat(Json.isValid(text)).isTrue();
    Json.parse(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "01", "1.", ".5", "+1", "1e",
      "tru", "nul", "\"abc", "\"\\q\"", "\"\\u12\"", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[1 2]", "{} {}", "// x\n{}",
      "{\"a\":1,\"a\":2}", "{\"a\":{},\"b\":1,\"\\u0061\":3}", "NaN", "Infinity", "\u00a0{}"})
  void invalidJson(String text) {
    assertThat(Json.isValid(text)).isFalse();
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.SyntaxError.class);
  }

  @Test
  void treeHasValuesAndSpans() {
    String text = "{\"a\": [1, \"x\\ty\"], \"b\": {\"c\": false}}";
    Json.Node root = Json.parse(text);
    assertThat(root.keys).containsExactly("a", "b");
    assertThat(root.values.get(0).raw(text)).isEqualTo("[1, \"x\\ty\"]");
    assertThat(root.values.get(0).values.get(1).string).isEqualTo("x\ty");
    assertThat(root.values.get(1).values.get(0).kind).isEqualTo(Json.Kind.FALSE);
  }

  @Test
  void errorsHaveLineColumnAndPath() {
    Json.SyntaxError e = org.junit.jupiter.api.Assertions.assertThrows(Json.SyntaxError.class,
        () -> Json.parse("{\n \"a\": [1, {\"b\": 1, \"b\": 2}]}"));
    assertThat(e.type).isEqualTo(Json.SyntaxError.Type.DUPLICATE_KEY);
    assertThat(e.line).isEqualTo(2);
    assertThat(e.column).isEqualTo(20);
    assertThat(e.path).isEqualTo(List.of("a", 1, "b"));
  }

  @Test
  void suspiciousDatesAreFlagged() {
    assertThat(Json.scan("{\"t\": \"2024-02-29T00:00:00Z\"}")).isEqualTo(Json.VALID);
    assertThat(Json.scan("{\"t\": \"2023-02-29T00:00:00Z\"}")).isEqualTo(Json.SUSPICIOUS_DATE);
    assertThat(Json.scan("{\"t\": \"2024-01-01T00:60:00Z\"}")).isEqualTo(Json.SUSPICIOUS_DATE);
    assertThat(Json.scan("{\"t\": \"not a date at all, long enough\"}")).isEqualTo(Json.VALID);
    assertThat(Json.possibleDateTime("2024-12-31T23:59:59.999999999+01:00", 0, 35)).isTrue();
    assertThat(Json.possibleDateTime("2024-00-10T00:00:00Z", 0, 20)).isFalse();
  }

  @Test
  void writerEscapesAndIndents() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a\"b\\c\n\u0001");
    m.put("n", 1);
    m.put("d", 1.5);
    m.put("l", List.of(true, Map.of()));
    m.put("e", List.of());
    String out = Json.write(m);
    assertThat(out).isEqualTo("{\n  \"s\": \"a\\\"b\\\\c\\n\\u0001\",\n  \"n\": 1,\n  \"d\": 1.5,\n"
        + "  \"l\": [\n    true,\n    {}\n  ],\n  \"e\": []\n}\n");
    assertThat(Json.isValid(out)).isTrue();
  }
}

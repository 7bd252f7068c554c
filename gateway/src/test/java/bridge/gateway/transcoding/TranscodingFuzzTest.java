package bridge.gateway.transcoding;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.DynamicMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the gateway's REST→gRPC transcoding over every route of the real contracts (and the test
 * contracts): a path built from a route's template with fuzzed segments, fuzzed query parameters and
 * a fuzzed JSON body. Whatever comes in, the answer is a request message or a
 * {@link TranscodingException} (400 naming the field) — never another exception (which would be a
 * 500). Hangs are caught by Jazzer's per-input timeout when fuzzing.
 *
 * <p>The normal test run replays the committed corpus
 * ({@code src/test/resources/bridge/gateway/transcoding/TranscodingFuzzTestInputs/}); {@code JAZZER_FUZZ=1}
 * fuzzes (docs/reliability.md).
 */
class TranscodingFuzzTest {

    static final List<HttpRoute> ROUTES = Fixtures.TABLE.routes();
    static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");
    static final String[] QUERY_NAMES = {"page_size", "pageSize", "page_token", "pageToken", "purpose", "parent",
            "name", "request_id", "requestId", "update_mask", "updateMask", "categories", "query.family_name", "x"};

    @FuzzTest(maxDuration = "60s")
    void anyRequestTranscodesOrIsRefusedAsBadInput(FuzzedDataProvider data) {
        HttpRoute route = ROUTES.get(data.consumeInt(0, ROUTES.size() - 1));
        String path = fill(route.template().toOpenApiPath(), data);
        if (!route.template().verb().isEmpty()) {
            path = path + ":" + route.template().verb();
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
            String name = data.consumeBoolean() ? data.pickValue(QUERY_NAMES) : data.consumeString(20);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(data.consumeString(30));
        }
        String idempotencyKey = data.consumeBoolean() ? data.consumeString(40) : null;
        byte[] body = data.consumeRemainingAsBytes();

        Optional<RouteMatch> match = Fixtures.TABLE.match(route.httpMethod(), path);
        if (match.isEmpty()) {
            return; // a 404: nothing transcoded
        }
        try {
            DynamicMessage request = Fixtures.TRANSCODER.toRequest(match.get(), body, query, idempotencyKey);
            assertThat(request.getDescriptorForType()).isEqualTo(match.get().route().method().getInputType());
        } catch (TranscodingException expected) {
            assertThat(expected.description()).isNotBlank();
        }
    }

    /** The template's variables replaced by fuzzed text, percent-encoding left to chance. */
    private static String fill(String openApiPath, FuzzedDataProvider data) {
        Matcher m = VARIABLE.matcher(openApiPath);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(data.consumeString(24)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}

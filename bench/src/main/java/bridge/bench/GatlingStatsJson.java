package bridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads Gatling's {@code js/stats.json} (the report's data): per request name, the count, KOs, mean
 * rate and the four configured percentiles (gatling.conf: 50, 99, 99.9, 100) in ms.
 */
final class GatlingStatsJson {

    private GatlingStatsJson() {
    }

    static Map<String, LoadTools.GatlingStats> read(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<String, LoadTools.GatlingStats> out = new LinkedHashMap<>();
        out.put("All Requests", stats(root.get("stats")));
        JsonNode contents = root.get("contents");
        if (contents != null) {
            for (Iterator<JsonNode> it = contents.elements(); it.hasNext(); ) {
                JsonNode request = it.next();
                out.put(request.get("name").asText(), stats(request.get("stats")));
            }
        }
        return out;
    }

    private static LoadTools.GatlingStats stats(JsonNode s) {
        return new LoadTools.GatlingStats(number(s, "numberOfRequests").longValue(), (long) value(s.get("numberOfRequests"), "ko"),
                number(s, "meanNumberOfRequestsPerSecond").doubleValue(), number(s, "percentiles1").doubleValue(),
                number(s, "percentiles2").doubleValue(), number(s, "percentiles3").doubleValue());
    }

    private static Number number(JsonNode stats, String field) {
        return value(stats.get(field), "total");
    }

    /** Gatling writes "-" where there is no value. */
    private static double value(JsonNode node, String field) {
        if (node == null || node.get(field) == null) {
            return 0;
        }
        JsonNode v = node.get(field);
        return v.isNumber() ? v.asDouble() : v.asText().matches("-?[0-9.]+") ? Double.parseDouble(v.asText()) : 0;
    }
}

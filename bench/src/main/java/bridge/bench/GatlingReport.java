package bridge.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the statistics table of Gatling's HTML report ({@code index.html}; Gatling 3.14 writes no
 * JSON of it): per request name ("All Requests" for the whole run), count, KOs, rate and the four
 * configured percentiles (gatling.conf: 50, 99, 99.9, 100) in ms.
 */
final class GatlingReport {

    private static final Pattern NAME = Pattern.compile("class=\"ellipsed-name\">([^<]+)</span>");

    private GatlingReport() {
    }

    static Map<String, LoadTools.GatlingStats> read(String indexHtml) {
        Map<String, LoadTools.GatlingStats> out = new LinkedHashMap<>();
        Matcher m = NAME.matcher(indexHtml);
        while (m.find()) {
            int end = indexHtml.indexOf("</tr>", m.end());
            String row = indexHtml.substring(m.end(), end < 0 ? indexHtml.length() : end);
            out.putIfAbsent(m.group(1), new LoadTools.GatlingStats((long) cell(row, 2), (long) cell(row, 4), cell(row, 6),
                    cell(row, 8), cell(row, 9), cell(row, 10)));
        }
        return out;
    }

    /** Column n of a row; Gatling writes "-" where there is nothing (e.g. no KO), which is 0 here. */
    private static double cell(String row, int column) {
        Matcher c = Pattern.compile("col-" + column + "\">([^<]*)</td>").matcher(row);
        if (!c.find()) {
            throw new IllegalArgumentException("no column " + column + " in Gatling's statistics table");
        }
        String v = c.group(1).replace(",", "").trim();
        return v.matches("-?[0-9.]+") ? Double.parseDouble(v) : 0;
    }
}

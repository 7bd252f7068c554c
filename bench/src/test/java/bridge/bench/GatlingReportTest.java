package bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatlingReportTest {

    @Test
    void readsEveryRequestRowOfTheStatisticsTable() throws IOException {
        String html;
        try (InputStream in = getClass().getResourceAsStream("/gatling/index-excerpt.html")) {
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, LoadTools.GatlingStats> stats = GatlingReport.read(html);
        assertThat(stats).containsOnlyKeys("All Requests", "create", "accept");
        LoadTools.GatlingStats create = stats.get("create");
        assertThat(create.total()).isEqualTo(117);
        assertThat(create.ko()).isEqualTo(7);
        assertThat(create.perSecond()).isEqualTo(9.75);
        assertThat(create.p50()).isEqualTo(1620);
        assertThat(create.p99()).isEqualTo(3711);
        assertThat(create.p999()).isEqualTo(4401);
        // "-" (no OK answers) is read as 0, never as a figure
        assertThat(stats.get("accept").ko()).isEqualTo(110);
    }
}

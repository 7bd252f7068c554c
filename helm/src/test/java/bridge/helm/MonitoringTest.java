package bridge.helm;

import static bridge.helm.Manifests.map;
import static bridge.helm.Manifests.maps;
import static bridge.helm.Manifests.named;
import static bridge.helm.Manifests.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Alerts with runbooks that exist, recording rules they rely on, a dashboard with the panels operators need. */
class MonitoringTest {

    private static final List<Map<String, Object>> DOCS = Manifests.load("monitoring-values");

    private static List<Map<String, Object>> rules(String group) {
        Map<String, Object> rule = named(DOCS, "PrometheusRule", "bridge-alerts");
        return maps(rule, "spec", "groups").stream().filter(g -> group.equals(g.get("name")))
                .flatMap(g -> maps(g, "rules").stream()).toList();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(Path markdown) throws IOException {
        return Files.readAllLines(markdown).stream().filter(l -> l.matches("^#{1,6} .*"))
                .map(l -> l.replaceFirst("^#+ ", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }

    @Test
    void everyAlertHasARunbookSectionInOperationsMd() throws IOException {
        Path operations = Path.of(System.getProperty("bridge.docs.operations", "../docs/operations.md"));
        Set<String> anchors = anchors(operations);
        List<Map<String, Object>> alerts = rules("bridge.alerts");
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            String runbook = str(alert, "annotations", "runbook_url");
            assertThat(runbook).as(name).isEqualTo(
                    "https://git.platform.example.org/bridge/bridge/-/blob/main/docs/operations.md#" + name.toLowerCase(Locale.ROOT));
            assertThat(anchors).as("docs/operations.md has a section '%s'", name).contains(name.toLowerCase(Locale.ROOT));
            assertThat(str(alert, "labels", "severity")).as(name).isIn("critical", "warning");
            assertThat(str(alert, "annotations", "summary")).as(name).isNotBlank();
            assertThat(str(alert, "annotations", "description")).as(name).isNotBlank();
            assertBalanced(name, str(alert, "expr"));
        }
    }

    @Test
    void sloAlertsBurnTheErrorBudgetOverTwoWindowsAndUseRecordedRatios() {
        Set<String> recorded = rules("bridge-slo.rules").stream().map(r -> (String) r.get("record")).collect(Collectors.toSet());
        for (String window : List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d")) {
            assertThat(recorded).contains("bridge:gateway_error_ratio:rate" + window, "bridge:grpc_error_ratio:rate" + window);
        }
        rules("bridge-slo.rules").forEach(r -> assertBalanced((String) r.get("record"), (String) r.get("expr")));
        Map<String, String> exprs = rules("bridge.alerts").stream()
                .collect(Collectors.toMap(r -> (String) r.get("alert"), r -> (String) r.get("expr")));
        assertThat(exprs.get("BridgeGatewayErrorBudgetBurnFast")).contains("14.4 * (1 - 99.9 / 100)")
                .contains("bridge:gateway_error_ratio:rate1h").contains("bridge:gateway_error_ratio:rate5m");
        assertThat(exprs.get("BridgeServiceErrorBudgetBurnSlow")).contains("bridge:grpc_error_ratio:rate3d");
        assertThat(exprs.get("BridgeGatewayLatencyHigh")).contains("histogram_quantile(0.99").contains("> 1");
        assertThat(exprs.get("BridgeServiceLatencyHigh")).contains("grpc_server_seconds_bucket").contains("> 0.5");
        assertThat(exprs.get("BridgeCircuitBreakerOpen")).contains("resilience4j_circuitbreaker_state");
        assertThat(exprs.get("BridgeOutboxBacklogHigh")).contains("bridge_outbox_backlog");
    }

    @Test
    void serviceMonitorsScrapeTheRightPorts() {
        Map<String, Object> services = named(DOCS, "ServiceMonitor", "bridge-services");
        assertThat(str(services, "spec", "endpoints", 0, "port")).isEqualTo("metrics");
        assertThat(str(services, "spec", "endpoints", 0, "path")).isEqualTo("/metrics");
        assertThat(str(services, "metadata", "labels", "release")).isEqualTo("kube-prometheus-stack");
        Map<String, Object> gateway = named(DOCS, "ServiceMonitor", "bridge-gateway");
        assertThat(str(gateway, "spec", "endpoints", 0, "port")).isEqualTo("http");
        assertThat(str(gateway, "spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dashboardHasThePanelsOperatorsNeed() {
        Map<String, Object> configMap = named(DOCS, "ConfigMap", "bridge-dashboard");
        assertThat(str(configMap, "metadata", "namespace")).isEqualTo("monitoring");
        String json = (String) map(configMap, "data").get("bridge-overview.json");
        assertThat(json).doesNotContain("__GRPC_").doesNotContain("__AVAILABILITY__");
        Map<String, Object> dashboard = new Yaml().load(json);
        List<String> exprs = new ArrayList<>();
        for (Map<String, Object> panel : maps(dashboard, "panels")) {
            if ("row".equals(panel.get("type"))) {
                continue;
            }
            List<Map<String, Object>> targets = maps(panel, "targets");
            assertThat(targets).as("panel %s", panel.get("title")).isNotEmpty();
            targets.forEach(t -> {
                assertBalanced((String) panel.get("title"), (String) t.get("expr"));
                exprs.add((String) t.get("expr"));
            });
        }
        String all = String.join("\n", exprs);
        assertThat(all).contains("sum by (uri) (rate(http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
                "sum by (job, rpc_method) (rate(grpc_server_seconds_count", "grpc_server_seconds_bucket",
                "grpc_status_code!=\"OK\"", "sum by (outcome) (rate(bridge_consent_decisions_total", "bridge_outbox_backlog",
                "resilience4j_circuitbreaker_state");
        assertThat((Map<String, Object>) dashboard.get("templating")).isNotNull();
    }

    private static void assertBalanced(String what, String expr) {
        int round = 0;
        int curly = 0;
        int square = 0;
        boolean quoted = false;
        for (char ch : expr.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            }
            if (quoted) {
                continue;
            }
            switch (ch) {
                case '(' -> round++;
                case ')' -> round--;
                case '{' -> curly++;
                case '}' -> curly--;
                case '[' -> square++;
                case ']' -> square--;
                default -> { }
            }
            assertThat(round >= 0 && curly >= 0 && square >= 0).as("%s: %s", what, expr).isTrue();
        }
        assertThat(round == 0 && curly == 0 && square == 0 && !quoted).as("%s unbalanced: %s", what, expr).isTrue();
    }
}

package bridge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The platform's rules, over the manifests rendered from the default values and from every ci/*-values.yaml. */
class RenderedManifestsTest {

    /** The one configuration allowed to render (chart-generated) Secret values and the demo realm. */
    static final String BUNDLED = "bundled-values";

    static Stream<String> valuesFiles() {
        return Manifests.valuesNames().stream();
    }

    private static List<Map<String, Object>> docs(String values) {
        List<Map<String, Object>> docs = Manifests.load(values);
        assertThat(docs).as("objects rendered from %s", values).isNotEmpty();
        return docs;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("every container: non-root, read-only root, no escalation, drop ALL, RuntimeDefault; Bridge apps uid 10001 with /tmp emptyDir")
    void workloadsAreLockedDown(String values) {
        assertThat(ChartRules.workloadSecurity(docs(values))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("every container has requests and a memory limit; long-running ones liveness and readiness probes")
    void probesAndResources(String values) {
        assertThat(ChartRules.probesAndResources(docs(values))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("every object (and pod template) carries the app.kubernetes.io/* labels and helm.sh/chart")
    void requiredLabels(String values) {
        assertThat(ChartRules.requiredLabels(docs(values))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("a ServiceAccount per workload, without token")
    void serviceAccounts(String values) {
        assertThat(ChartRules.serviceAccounts(docs(values))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("PDB per Deployment/StatefulSet, HPA per Bridge Deployment")
    void hpaAndPdb(String values) {
        assertThat(ChartRules.hpaAndPdb(docs(values))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("default-deny NetworkPolicy for the release")
    void defaultDeny(String values) {
        assertThat(ChartRules.defaultDeny(docs(values))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("every Service port is opened by a NetworkPolicy that selects its pods")
    void servicesCovered(String values) {
        assertThat(ChartRules.servicesCoveredByNetworkPolicies(docs(values))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("only the gateway (and bundled Keycloak) accept outside traffic; elsewhere scrape ports only")
    void onlyGatewayFromOutside(String values) {
        assertThat(ChartRules.onlyPublicWorkloadsFromOutside(docs(values))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("no Secret values rendered (bundled: only chart-generated ones)")
    void noPlainSecrets(String values) {
        assertThat(ChartRules.noPlainSecrets(docs(values), values.equals(BUNDLED))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("demo passwords and client secrets appear only with the bundled Keycloak")
    void noDemoCredentials(String values) {
        List<String> violations = ChartRules.noDemoCredentials(docs(values));
        if (values.equals(BUNDLED)) {
            assertThat(violations).allMatch(v -> v.startsWith("ConfigMap/bridge-keycloak-realm:"));
        } else {
            assertThat(violations).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    @DisplayName("the realm ConfigMap is the repository's realm file, byte for byte")
    void realmIsTheRepositoryFile(String values) throws IOException {
        byte[] realm = Files.readAllBytes(Manifests.chartDir().resolve("files/keycloak/bridge-realm.json"));
        assertThat(ChartRules.realmIsTheRepositoryFile(docs(values), realm)).isEmpty();
    }
}

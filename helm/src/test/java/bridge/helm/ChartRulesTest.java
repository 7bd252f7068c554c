package bridge.helm;

import static bridge.helm.Manifests.containers;
import static bridge.helm.Manifests.map;
import static bridge.helm.Manifests.maps;
import static bridge.helm.Manifests.named;
import static bridge.helm.Manifests.podMetadata;
import static bridge.helm.Manifests.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * The rules bite: each one, given a rendered chart broken in one place, reports exactly that place. Without
 * these, a rule that silently checks nothing would pass forever.
 */
class ChartRulesTest {

    private static List<Map<String, Object>> broken(String values, Consumer<List<Map<String, Object>>> breakIt) {
        List<Map<String, Object>> docs = new ArrayList<>(Manifests.loadCopy(values));
        breakIt.accept(docs);
        return docs;
    }

    private static Map<String, Object> container(List<Map<String, Object>> docs, String kind, String name, int index) {
        return containers(podSpec(named(docs, kind, name))).get(index);
    }

    private static void assertCaught(Function<List<Map<String, Object>>, List<String>> rule, List<Map<String, Object>> docs, String expected) {
        assertThat(rule.apply(docs)).as("violations").anyMatch(v -> v.contains(expected));
    }

    @Test
    void theCleanRenderHasNoViolations() {
        List<Map<String, Object>> docs = Manifests.load("bundled-values");
        assertThat(ChartRules.workloadSecurity(docs)).isEmpty();
        assertThat(ChartRules.probesAndResources(docs)).isEmpty();
    }

    @Test
    void securityRuleCatchesEachWeakening() {
        assertCaught(ChartRules::workloadSecurity, broken("bundled-values", d ->
                map(container(d, "Deployment", "bridge-consent", 0), "securityContext").remove("readOnlyRootFilesystem")),
                "Deployment/bridge-consent container consent: readOnlyRootFilesystem");
        assertCaught(ChartRules::workloadSecurity, broken("bundled-values", d ->
                map(container(d, "StatefulSet", "bridge-mongodb", 0), "securityContext").put("runAsUser", 0)),
                "StatefulSet/bridge-mongodb container mongod: runAsUser missing or 0");
        assertCaught(ChartRules::workloadSecurity, broken("bundled-values", d ->
                map(container(d, "Deployment", "bridge-keycloak", 0), "securityContext").remove("capabilities")),
                "container keycloak: capabilities do not drop ALL");
        assertCaught(ChartRules::workloadSecurity, broken("bundled-values", d ->
                map(container(d, "Deployment", "bridge-gateway", 0), "securityContext").put("runAsUser", 1000)),
                "Bridge images run as 10001");
        assertCaught(ChartRules::workloadSecurity, broken("bundled-values", d ->
                map(container(d, "Deployment", "bridge-gateway", 0), "securityContext").put("allowPrivilegeEscalation", true)),
                "allowPrivilegeEscalation is not false");
        assertCaught(ChartRules::workloadSecurity, broken("bundled-values", d ->
                map(container(d, "Deployment", "bridge-referrals", 0)).remove("volumeMounts")),
                "Deployment/bridge-referrals container referrals: no emptyDir at /tmp");
        assertCaught(ChartRules::workloadSecurity, broken("bundled-values", d ->
                podSpec(named(d, "Deployment", "bridge-referrals")).put("automountServiceAccountToken", true)),
                "Deployment/bridge-referrals: automountServiceAccountToken");
        assertCaught(ChartRules::workloadSecurity, broken("bundled-values", d -> {
            map(podSpec(named(d, "Pod", "bridge-gateway-test")), "securityContext").remove("seccompProfile");
            map(container(d, "Pod", "bridge-gateway-test", 0), "securityContext").remove("seccompProfile");
        }), "Pod/bridge-gateway-test container readiness: seccompProfile");
    }

    @Test
    void probeAndResourceRuleCatchesOmissions() {
        assertCaught(ChartRules::probesAndResources, broken("bundled-values", d ->
                container(d, "Deployment", "bridge-gateway", 0).remove("readinessProbe")),
                "Deployment/bridge-gateway container gateway: no readinessProbe");
        assertCaught(ChartRules::probesAndResources, broken("bundled-values", d ->
                map(maps(podSpec(named(d, "StatefulSet", "bridge-mongodb")), "initContainers").get(0), "resources", "requests").remove("cpu")),
                "StatefulSet/bridge-mongodb container keyfile: no resources.requests.cpu");
        assertCaught(ChartRules::probesAndResources, broken("bundled-values", d ->
                map(container(d, "Deployment", "bridge-consent", 0), "resources").remove("limits")),
                "no resources.limits.memory");
        assertCaught(ChartRules::probesAndResources, broken("bundled-values", d ->
                map(named(d, "Pod", "bridge-gateway-test"), "spec").remove("activeDeadlineSeconds")),
                "Pod/bridge-gateway-test: run-to-completion workload without activeDeadlineSeconds");
    }

    @Test
    void labelRuleCatchesMissingLabels() {
        assertCaught(ChartRules::requiredLabels, broken("default", d ->
                map(named(d, "NetworkPolicy", "bridge-default-deny"), "metadata", "labels").remove("helm.sh/chart")),
                "NetworkPolicy/bridge-default-deny: label helm.sh/chart missing");
        assertCaught(ChartRules::requiredLabels, broken("default", d ->
                map(podMetadata(named(d, "Deployment", "bridge-consent")), "labels").remove("app.kubernetes.io/version")),
                "Deployment/bridge-consent pod template: label app.kubernetes.io/version missing");
        assertCaught(ChartRules::requiredLabels, broken("default", d ->
                map(named(d, "Service", "bridge-gateway"), "metadata", "labels").put("app.kubernetes.io/part-of", "other")),
                "Service/bridge-gateway: part-of is not bridge");
    }

    @Test
    void serviceAccountRuleCatchesSharedOrMissingAccounts() {
        assertCaught(ChartRules::serviceAccounts, broken("default", d ->
                podSpec(named(d, "Deployment", "bridge-consent")).put("serviceAccountName", "bridge-gateway")),
                "shares ServiceAccount bridge-gateway");
        assertCaught(ChartRules::serviceAccounts, broken("default", d ->
                d.remove(named(d, "ServiceAccount", "bridge-referrals"))),
                "ServiceAccount bridge-referrals is not rendered");
        assertCaught(ChartRules::serviceAccounts, broken("default", d ->
                named(d, "ServiceAccount", "bridge-gateway").put("automountServiceAccountToken", true)),
                "ServiceAccount/bridge-gateway: automountServiceAccountToken is not false");
    }

    @Test
    void hpaAndPdbRuleCatchesGaps() {
        assertCaught(ChartRules::hpaAndPdb, broken("bundled-values", d ->
                d.remove(named(d, "HorizontalPodAutoscaler", "bridge-referrals"))),
                "Deployment/bridge-referrals: no HorizontalPodAutoscaler");
        assertCaught(ChartRules::hpaAndPdb, broken("bundled-values", d ->
                d.remove(named(d, "PodDisruptionBudget", "bridge-mongodb"))),
                "StatefulSet/bridge-mongodb: no PodDisruptionBudget");
        assertCaught(ChartRules::hpaAndPdb, broken("bundled-values", d ->
                map(named(d, "Deployment", "bridge-gateway"), "spec").put("replicas", 3)),
                "Deployment/bridge-gateway: sets replicas although an HPA scales it");
    }

    @Test
    void networkPolicyRulesCatchGaps() {
        assertCaught(ChartRules::defaultDeny, broken("default", d ->
                d.remove(named(d, "NetworkPolicy", "bridge-default-deny"))), "no default-deny");
        assertCaught(ChartRules::defaultDeny, broken("default", d ->
                map(named(d, "NetworkPolicy", "bridge-default-deny"), "spec").put("ingress", List.of(Map.of()))), "no default-deny");
        assertCaught(ChartRules::servicesCoveredByNetworkPolicies, broken("default", d ->
                d.remove(named(d, "NetworkPolicy", "bridge-consent"))), "Service/bridge-consent: no NetworkPolicy selects its pods");
        assertCaught(ChartRules::servicesCoveredByNetworkPolicies, broken("default", d -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> ingress = (List<Map<String, Object>>) map(named(d, "NetworkPolicy", "bridge-referrals"), "spec").get("ingress");
            ingress.removeIf(rule -> String.valueOf(rule).contains("metrics"));
        }), "Service/bridge-referrals: port metrics opened by no ingress rule");
        assertCaught(ChartRules::onlyPublicWorkloadsFromOutside, broken("default", d -> {
            Map<String, Object> grpcRule = maps(named(d, "NetworkPolicy", "bridge-people-directory"), "spec", "ingress").get(0);
            @SuppressWarnings("unchecked")
            List<Object> from = (List<Object>) grpcRule.get("from");
            from.add(Map.of("namespaceSelector", Map.of()));
        }), "NetworkPolicy/bridge-people-directory: lets peers outside the release reach");
    }

    @Test
    void secretRulesCatchRenderedValues() {
        List<Map<String, Object>> withSecret = broken("default", d -> d.add(Manifests.parse("""
                apiVersion: v1
                kind: Secret
                metadata: {name: leaked}
                stringData: {password: hunter2}
                """).get(0)));
        assertThat(ChartRules.noPlainSecrets(withSecret, false)).containsExactly("Secret/leaked: renders secret values");
        assertThat(ChartRules.noPlainSecrets(withSecret, true)).as("not marked as generated").containsExactly("Secret/leaked: renders secret values");
        assertThat(ChartRules.noPlainSecrets(Manifests.load("bundled-values"), false)).as("generated ones outside the bundled file")
                .contains("Secret/bridge-mongodb-auth: renders secret values");
        assertThat(ChartRules.noDemoCredentials(Manifests.load("bundled-values")))
                .anyMatch(v -> v.startsWith("ConfigMap/bridge-keycloak-realm"));
    }

    @Test
    void realmRuleCatchesAnyByteChanged() throws IOException {
        byte[] realm = Files.readAllBytes(Manifests.chartDir().resolve("files/keycloak/bridge-realm.json"));
        List<Map<String, Object>> docs = broken("bundled-values", d -> {
            Map<String, Object> data = map(named(d, "ConfigMap", "bridge-keycloak-realm"), "data");
            data.put("bridge-realm.json", data.get("bridge-realm.json") + "\n");
        });
        assertThat(ChartRules.realmIsTheRepositoryFile(docs, realm)).containsExactly(
                "ConfigMap/bridge-keycloak-realm: bridge-realm.json differs from files/keycloak/bridge-realm.json");
    }
}

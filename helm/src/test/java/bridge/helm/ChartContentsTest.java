package bridge.helm;

import static bridge.helm.Manifests.at;
import static bridge.helm.Manifests.containers;
import static bridge.helm.Manifests.env;
import static bridge.helm.Manifests.list;
import static bridge.helm.Manifests.map;
import static bridge.helm.Manifests.maps;
import static bridge.helm.Manifests.named;
import static bridge.helm.Manifests.ofKind;
import static bridge.helm.Manifests.podSpec;
import static bridge.helm.Manifests.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What each configuration renders, and the contract with the applications (ports, probes, environment). */
class ChartContentsTest {

    static Stream<String> valuesFiles() {
        return Manifests.valuesNames().stream();
    }

    @Test
    void everyCiValuesFileWasRenderedAndTheRequiredOnesExist() throws IOException {
        try (Stream<Path> rendered = Files.list(Manifests.renderedDir())) {
            assertThat(rendered.map(p -> p.getFileName().toString().replace(".yaml", "")))
                    .containsExactlyInAnyOrderElementsOf(Manifests.valuesNames());
        }
        assertThat(Manifests.valuesNames()).contains("default", "bundled-values", "external-values", "ha-values", "monitoring-values");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void theSixAppsAreAlwaysThere(String values) {
        List<Map<String, Object>> docs = Manifests.load(values);
        for (String app : Manifests.APPS) {
            String name = "bridge-" + app;
            named(docs, "Deployment", name);
            named(docs, "Service", name);
            named(docs, "ServiceAccount", name);
            named(docs, "HorizontalPodAutoscaler", name);
            named(docs, "PodDisruptionBudget", name);
            named(docs, "NetworkPolicy", name);
        }
        named(docs, "Pod", "bridge-gateway-test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void servicesFollowTheAppContract(String values) {
        List<Map<String, Object>> docs = Manifests.load(values);
        for (String service : Manifests.SERVICES) {
            Map<String, Object> c = containers(podSpec(named(docs, "Deployment", "bridge-" + service))).get(0);
            Map<String, String> env = env(c);
            String portVar = "BRIDGE_" + service.toUpperCase().replace('-', '_') + "_GRPC_PORT";
            assertThat(env).as(service).containsEntry("BRIDGE_GRPC_HOST", "0.0.0.0").containsEntry(portVar, "9090")
                    .containsEntry("BRIDGE_METRICS_PORT", "9464").containsKeys("BRIDGE_MONGODB_URI", "BRIDGE_ISSUER", "JAVA_TOOL_OPTIONS");
            assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("MaxRAMPercentage");
            // the services it calls over gRPC, and no other: consent (all but consent itself), people-directory (its callers)
            Map<String, String> targets = new TreeMap<>();
            if (!service.equals("consent")) {
                targets.put("BRIDGE_CONSENT_TARGET", "bridge-consent:9090");
            }
            if (Manifests.PEOPLE_DIRECTORY_CALLERS.contains(service)) {
                targets.put("BRIDGE_PEOPLE_DIRECTORY_TARGET", "bridge-people-directory:9090");
            }
            if (service.equals("referrals")) {
                targets.put("BRIDGE_HOUSING_LIAISON_TARGET", "bridge-housing-liaison:9090");
                targets.put("BRIDGE_BENEFITS_LIAISON_TARGET", "bridge-benefits-liaison:9090");
            }
            assertThat(env.entrySet().stream().filter(e -> e.getKey().endsWith("_TARGET"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                    .as(service + " gRPC targets").isEqualTo(targets);
            assertThat(env.containsKey("BRIDGE_PARTNERS_HOUSING_URL")).as(service + " housing URL").isEqualTo(
                    service.equals("housing-liaison") && values.matches("bundled-values|external-values"));
            assertThat(env.containsKey("BRIDGE_PARTNERS_DWP_URL")).as(service + " DWP URL").isEqualTo(
                    service.equals("benefits-liaison") && values.matches("bundled-values|external-values"));
            assertThat(maps(c, "ports")).extracting(p -> p.get("name") + ":" + p.get("containerPort")).containsExactly("grpc:9090", "metrics:9464");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(at(c, probe, "grpc", "port")).as(service + " " + probe).isEqualTo(9090);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void gatewayFollowsTheAppContract(String values) {
        List<Map<String, Object>> docs = Manifests.load(values);
        Map<String, Object> c = containers(podSpec(named(docs, "Deployment", "bridge-gateway"))).get(0);
        Map<String, String> env = env(c);
        assertThat(env).containsEntry("BRIDGE_GATEWAY_HOST", "0.0.0.0").containsEntry("BRIDGE_GATEWAY_PORT", "8080").containsKey("BRIDGE_ISSUER")
                .doesNotContainKey("BRIDGE_MONGODB_URI");
        for (String service : Manifests.SERVICES) {
            assertThat(env).containsEntry("BRIDGE_" + service.toUpperCase().replace('-', '_') + "_TARGET", "bridge-" + service + ":9090");
        }
        assertThat(str(c, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(str(c, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(maps(c, "ports")).extracting(p -> p.get("name") + ":" + p.get("containerPort")).containsExactly("http:8080");
    }

    @Test
    void defaultsReadEverythingFromExistingSecrets() {
        List<Map<String, Object>> docs = Manifests.load("default");
        assertThat(ofKind(docs, "Secret")).isEmpty();
        assertThat(ofKind(docs, "StatefulSet")).isEmpty();
        assertThat(ofKind(docs, "ConfigMap")).extracting(Manifests::name).containsExactly("bridge-dashboard");
        for (String service : Manifests.SERVICES) {
            Map<String, String> env = env(containers(podSpec(named(docs, "Deployment", "bridge-" + service))).get(0));
            assertThat(env).containsEntry("BRIDGE_MONGODB_URI", "secret:bridge-mongodb/" + service + "-uri")
                    .containsEntry("BRIDGE_ISSUER", "secret:bridge-identity/issuer")
                    .doesNotContainKey("SPRING_APPLICATION_JSON");
        }
    }

    @Test
    void externalUsesTheGivenSecretsPerService() {
        List<Map<String, Object>> docs = Manifests.load("external-values");
        assertThat(ofKind(docs, "Secret")).isEmpty();
        Map<String, String> consent = env(containers(podSpec(named(docs, "Deployment", "bridge-consent"))).get(0));
        assertThat(consent).containsEntry("BRIDGE_MONGODB_URI", "secret:consent-mongodb/uri").containsEntry("BRIDGE_ISSUER", "secret:platform-keycloak/issuer-url");
        assertThat(consent).containsEntry("SPRING_APPLICATION_JSON",
                "{\"bridge\":{\"consent\":{\"agencies\":{\"leeds-hostels\":\"HOUSING\",\"york-recovery-hub\":\"TREATMENT\"}}}}");
        Map<String, String> referrals = env(containers(podSpec(named(docs, "Deployment", "bridge-referrals"))).get(0));
        assertThat(referrals).containsEntry("BRIDGE_MONGODB_URI", "secret:platform-mongodb/referrals-uri")
                .doesNotContainKey("SPRING_APPLICATION_JSON");
        assertThat(str(containers(podSpec(named(docs, "Deployment", "bridge-gateway"))).get(0), "image"))
                .isEqualTo("registry.platform.internal/bridge/gateway@sha256:" + "0".repeat(64));
        assertThat(str(containers(podSpec(named(docs, "Deployment", "bridge-consent"))).get(0), "image"))
                .isEqualTo("registry.platform.internal/bridge/consent:1.0.0");
    }

    @Test
    void bundledDependenciesAreWiredTogether() {
        List<Map<String, Object>> docs = Manifests.load("bundled-values");
        Map<String, Object> mongodb = named(docs, "StatefulSet", "bridge-mongodb");
        assertThat(at(mongodb, "spec", "replicas")).isEqualTo(3);
        assertThat(list(containers(podSpec(mongodb)).get(0), "command")).contains("--replSet=rs0", "--keyFile=/keyfile/key");
        Map<String, Object> keycloak = named(docs, "Deployment", "bridge-keycloak");
        Map<String, Object> kc = containers(podSpec(keycloak)).get(0);
        assertThat(str(kc, "image")).isEqualTo("quay.io/keycloak/keycloak:26.5.6");
        assertThat(list(kc, "args")).contains("--import-realm");
        assertThat(maps(kc, "volumeMounts")).anyMatch(m -> "/opt/keycloak/data/import".equals(m.get("mountPath")));
        assertThat(maps(podSpec(keycloak), "volumes")).anyMatch(v -> "bridge-keycloak-realm".equals(str(v, "configMap", "name")));
        named(docs, "ConfigMap", "bridge-keycloak-realm");

        for (String service : Manifests.SERVICES) {
            Map<String, String> env = env(containers(podSpec(named(docs, "Deployment", "bridge-" + service))).get(0));
            assertThat(env.get("BRIDGE_MONGODB_PASSWORD")).isEqualTo("secret:bridge-mongodb-auth/" + service + "-password");
            String uri = env.get("BRIDGE_MONGODB_URI");
            assertThat(uri).startsWith("mongodb://" + service + ":$(BRIDGE_MONGODB_PASSWORD)@bridge-mongodb-0.bridge-mongodb-headless.bridge.svc.cluster.local:27017,")
                    .contains("/" + service + "?replicaSet=rs0&authSource=" + service + "&w=majority&journal=true");
            assertThat(uri.contains("readConcernLevel=majority")).as(service).isEqualTo(service.equals("consent"));
            assertThat(env).containsEntry("BRIDGE_ISSUER", "https://id.bridge.example.org/realms/bridge")
                    .containsEntry("BRIDGE_SECURITY_JWKSETURI", "http://bridge-keycloak:8080/realms/bridge/protocol/openid-connect/certs");
            // the password variable is defined before the URI that refers to it
            List<String> names = List.copyOf(env.keySet());
            assertThat(names.indexOf("BRIDGE_MONGODB_PASSWORD")).isLessThan(names.indexOf("BRIDGE_MONGODB_URI"));
        }
        Map<String, Object> secret = named(docs, "Secret", "bridge-mongodb-auth");
        assertThat(map(secret, "data").keySet()).containsExactlyInAnyOrder("root-password", "replica-set-key", "people-directory-password",
                "consent-password", "referrals-password", "housing-liaison-password", "benefits-liaison-password");
    }

    @Test
    void highAvailabilityMeansThreeOrMoreSpreadOnePerNodeAndZone() {
        List<Map<String, Object>> docs = Manifests.load("ha-values");
        for (String app : Manifests.APPS) {
            Map<String, Object> hpa = named(docs, "HorizontalPodAutoscaler", "bridge-" + app);
            assertThat(((Number) at(hpa, "spec", "minReplicas")).intValue()).as(app).isGreaterThanOrEqualTo(3);
            assertThat(str(named(docs, "PodDisruptionBudget", "bridge-" + app), "spec", "maxUnavailable")).isEqualTo("1");
            List<Map<String, Object>> spread = maps(podSpec(named(docs, "Deployment", "bridge-" + app)), "topologySpreadConstraints");
            assertThat(spread).extracting(s -> s.get("topologyKey") + "=" + s.get("whenUnsatisfiable"))
                    .containsExactlyInAnyOrder("topology.kubernetes.io/zone=DoNotSchedule", "kubernetes.io/hostname=DoNotSchedule");
        }
        assertThat(at(named(docs, "HorizontalPodAutoscaler", "bridge-consent"), "spec", "minReplicas")).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void monitoringObjectsOnlyWhenAsked(String values) {
        List<Map<String, Object>> docs = Manifests.load(values);
        boolean monitoring = values.equals("monitoring-values");
        assertThat(ofKind(docs, "ServiceMonitor")).hasSize(monitoring ? 2 : 0);
        assertThat(ofKind(docs, "PrometheusRule")).hasSize(monitoring ? 1 : 0);
        Map<String, Object> dashboard = named(docs, "ConfigMap", "bridge-dashboard");
        assertThat(str(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
    }
}

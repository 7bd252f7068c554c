package bridge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/** values.schema.json catches typos and nonsense before anything reaches a cluster. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            gatewy.replicas=1                                   | additional properties 'gatewy' not allowed
            defaults.resources.request.cpu=1                     | additional properties 'request' not allowed
            services.consnet.replicas=1                          | additional properties 'consnet' not allowed
            services.consent.autoscalling.enabled=false          | additional properties 'autoscalling' not allowed
            gateway.ingres.enabled=true                          | additional properties 'ingres' not allowed
            networkPolicy.enable=false                           | additional properties 'enable' not allowed
            metrics.serviceMonitor.enable=true                   | additional properties 'enable' not allowed
            mongodb.enbled=true                                  | additional properties 'enbled' not allowed
            keycloak.hostnme=https://id.example.org              | additional properties 'hostnme' not allowed
            defaults.topologySpread.acrossZones=Sometimes        | /defaults/topologySpread/acrossZones
            defaults.resources.requests.memory=lots              | /defaults/resources/requests/memory
            networkPolicy.externalMongodb.cidrs[0]=10.0.0.1      | /networkPolicy/externalMongodb/cidrs/0
            identity.issuer=id.example.org/realms/bridge         | /identity/issuer
            defaults.autoscaling.minReplicas=0                   | /defaults/autoscaling/minReplicas
            metrics.prometheusRule.availabilityObjective=100     | /metrics/prometheusRule/availabilityObjective
            """)
    void rejects(String setting, String expectedMessage) {
        Helm.Result result = Helm.template("--set", setting);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains(expectedMessage);
    }

    @Test
    void requiresTheBundledKeycloaksPublicUrl() {
        Helm.Result result = Helm.template("--set", "keycloak.enabled=true");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("keycloak.hostname is required");
    }

    @Test
    void acceptsSensibleOverrides() {
        Helm.Result result = Helm.template("--set", "services.consent.replicas=4", "--set", "services.consent.autoscaling.enabled=false",
                "--set", "gateway.extraEnv[0].name=LOGGING_LEVEL_ROOT", "--set", "gateway.extraEnv[0].value=WARN",
                "--set", "identity.issuer=https://id.example.org/realms/bridge");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("LOGGING_LEVEL_ROOT").contains("replicas: 4");
    }

    /** The umbrella schema repeats the subcharts' (Helm validates a subchart's values only when it is enabled). */
    @Test
    @SuppressWarnings("unchecked")
    void umbrellaSchemaCarriesTheSubchartSchemas() throws IOException {
        Map<String, Object> umbrella = new Yaml().load(Files.readString(Manifests.chartDir().resolve("values.schema.json")));
        for (String sub : new String[] {"mongodb", "keycloak"}) {
            Map<String, Object> own = new Yaml().load(Files.readString(Manifests.chartDir().resolve("charts/" + sub + "/values.schema.json")));
            own.remove("$schema");
            assertThat(((Map<String, Object>) umbrella.get("properties")).get(sub)).as(sub).isEqualTo(own);
        }
    }
}

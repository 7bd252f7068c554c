package bridge.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/** The service's own config file: its own database and its own gRPC port, overridable from the environment. */
class ServiceConfigTest {

    @Test
    void ownDatabaseAndPort() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource(ConsentApplication.NAME + ".yml"));
        Properties p = yaml.getObject();
        assertThat(p.getProperty("spring.application.name")).isEqualTo("consent");
        assertThat(p.getProperty("bridge.mongodb.database")).isEqualTo("consent");
        assertThat(p.getProperty("spring.grpc.server.port")).isEqualTo("${BRIDGE_CONSENT_GRPC_PORT:9092}");
        assertThat(p.getProperty("spring.grpc.server.host")).isEqualTo("${BRIDGE_GRPC_HOST:127.0.0.1}");
    }

    @Test
    void theDirectoryListsTheDemoRealmsAgencies() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource(ConsentApplication.NAME + ".yml"));
        Properties p = yaml.getObject();
        Map<String, String> agencies = new TreeMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("bridge.consent.agencies."))
                .forEach(k -> agencies.put(k.substring("bridge.consent.agencies.".length()), p.getProperty(k)));
        assertThat(agencies).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("met-police", "POLICE"), Map.entry("north-probation", "PROBATION"),
                Map.entry("hmp-leeds", "PRISON"), Map.entry("leeds-magistrates", "COURT"),
                Map.entry("leeds-housing", "HOUSING"), Map.entry("leeds-nhs", "HEALTH"),
                Map.entry("forward-leeds", "TREATMENT"), Map.entry("change-grow-live", "TREATMENT"),
                Map.entry("dwp-leeds", "BENEFITS"), Map.entry("peer-navigators", "PEER_SUPPORT"),
                Map.entry("leeds-social-care", "SOCIAL_CARE"), Map.entry("bridge-platform", "PLATFORM"))));
        // every type is an agency type Bridge knows
        agencies.values().forEach(t -> assertThat(bridge.support.identity.AgencyType.parse(t)).isPresent());

        // and the directory is the Keycloak realm's organisations (until it is read from Keycloak itself)
        java.io.File realm = new java.io.File("../../helm/bridge/files/keycloak/bridge-realm.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(realm.isFile(), "the realm file is beside this module in the repository");
        Map<String, String> organisations = new TreeMap<>();
        try {
            List<Map<String, Object>> orgs = com.jayway.jsonpath.JsonPath.read(realm, "$.organizations[*]");
            for (Map<String, Object> o : orgs) {
                @SuppressWarnings("unchecked")
                Map<String, List<String>> attributes = (Map<String, List<String>>) o.get("attributes");
                organisations.put((String) o.get("alias"), attributes.get("agency_type").getFirst());
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(agencies).isEqualTo(organisations);
    }
}

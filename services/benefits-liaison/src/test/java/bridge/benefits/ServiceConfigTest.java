package bridge.benefits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

/** The service's own config file: its own database and its own gRPC port, overridable from the environment. */
class ServiceConfigTest {

    @Test
    void ownDatabaseAndPort() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource(BenefitsLiaisonApplication.NAME + ".yml"));
        Properties p = yaml.getObject();
        assertThat(p.getProperty("spring.application.name")).isEqualTo("benefits-liaison");
        assertThat(p.getProperty("bridge.mongodb.database")).isEqualTo("benefits-liaison");
        assertThat(p.getProperty("spring.grpc.server.port")).isEqualTo("${BRIDGE_BENEFITS_LIAISON_GRPC_PORT:9095}");
        assertThat(p.getProperty("spring.grpc.server.host")).isEqualTo("${BRIDGE_GRPC_HOST:127.0.0.1}");
    }
}

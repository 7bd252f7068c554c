package bridge.support.config;

import bridge.support.grpc.GrpcErrorMapping;
import bridge.support.grpc.RequestIdServerInterceptor;
import bridge.support.mongo.MongoProperties;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.grpc.server.security.AuthenticationProcessInterceptor;
import org.springframework.grpc.server.security.GrpcSecurity;
import org.springframework.security.config.annotation.authentication.configuration.AuthenticationConfiguration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * What every Bridge gRPC service gets by depending on bridge-support: token validation on every
 * call (health checks excepted), error mapping to gRPC statuses with details, request ids in logs,
 * and its own MongoDB database.
 */
@AutoConfiguration(afterName = "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration", beforeName = {
        "org.springframework.boot.grpc.server.autoconfigure.security.GrpcSecurityAutoConfiguration",
        "org.springframework.boot.grpc.server.autoconfigure.security.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnClass(GrpcSecurity.class)
// Off where no gRPC server runs (the gateway, which shares a JVM with the services in the local run).
@ConditionalOnProperty(name = "spring.grpc.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties({SecurityProperties.class, MongoProperties.class})
@Import(AuthenticationConfiguration.class)
public class BridgeServiceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(SecurityProperties props) {
        return Tokens.decoder(props);
    }

    @Bean
    @GlobalServerInterceptor
    @ConditionalOnMissingBean
    AuthenticationProcessInterceptor bridgeGrpcSecurity(GrpcSecurity grpc, JwtDecoder decoder) throws Exception {
        return grpc
                .authorizeRequests(requests -> requests
                        .methods("grpc.health.v1.Health/*").permitAll()
                        .methods("grpc.reflection.v1.ServerReflection/*").permitAll()
                        .allRequests().authenticated())
                .oauth2ResourceServer(rs -> rs.jwt(jwt -> jwt.decoder(decoder)))
                .build();
    }

    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RequestIdServerInterceptor requestIdServerInterceptor() {
        return new RequestIdServerInterceptor();
    }

    @Bean
    GrpcExceptionHandler bridgeGrpcErrorMapping() {
        return new GrpcErrorMapping();
    }

    @Bean
    @ConditionalOnBean(MongoClient.class)
    @ConditionalOnMissingBean
    MongoDatabase serviceDatabase(MongoClient client, MongoProperties props) {
        if (props.database() == null || props.database().isBlank()) {
            throw new IllegalStateException("bridge.mongodb.database must name this service's own database");
        }
        return client.getDatabase(props.database());
    }
}

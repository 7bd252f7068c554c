package bridge.gateway.config;

import bridge.gateway.grpc.Backends;
import bridge.gateway.grpc.ContractCatalog;
import bridge.gateway.grpc.UnaryCaller;
import bridge.gateway.transcoding.OpenApiGenerator;
import bridge.gateway.transcoding.RequestTranscoder;
import bridge.gateway.transcoding.RouteTable;
import bridge.gateway.web.GrpcTranscodingGatewayFilterFactory;
import bridge.gateway.web.RequestIdFilter;
import bridge.gateway.web.RequestReadDeadline;
import bridge.gateway.web.UnexpectedErrors;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

    @Bean
    RouteTable routeTable() {
        return RouteTable.of(ContractCatalog.scan(getClass().getClassLoader(), ContractCatalog.DEFAULT_PATTERN));
    }

    @Bean
    RequestTranscoder requestTranscoder(RouteTable routes) {
        return RequestTranscoder.forRoutes(routes);
    }

    @Bean
    CircuitBreakerRegistry backendBreakers(MeterRegistry meters) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Backends.breakerConfig());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean(destroyMethod = "close")
    Backends backends(GatewayProperties props, CircuitBreakerRegistry breakers) {
        return new Backends(props.backends(), breakers);
    }

    @Bean
    UnaryCaller unaryCaller() {
        return new UnaryCaller();
    }

    @Bean
    GrpcTranscodingGatewayFilterFactory grpcTranscodingGatewayFilterFactory(RouteTable routes,
            RequestTranscoder transcoder, Backends backends, UnaryCaller caller, GatewayProperties props) {
        return new GrpcTranscodingGatewayFilterFactory(routes, transcoder, backends, caller, props);
    }

    @Bean
    RequestIdFilter requestIdFilter(GatewayProperties props) {
        return new RequestIdFilter(props.accessLog());
    }

    @Bean
    UnexpectedErrors unexpectedErrors() {
        return new UnexpectedErrors();
    }

    /** Slow clients: a deadline on reading each request from its first byte (see RequestReadDeadline). */
    @Bean
    NettyServerCustomizer requestReadDeadline(AbuseLimitsProperties limits) {
        return server -> server.doOnChannelInit((observer, channel, remote) ->
                RequestReadDeadline.install(channel, NettyPipeline.HttpCodec, limits.requestReadTimeout()));
    }

    /** The OpenAPI document, generated once from the same descriptors as the routes. */
    @Bean
    RouterFunction<ServerResponse> openApi(RouteTable routes) {
        byte[] doc = OpenApiGenerator.generate(routes, "Bridge API", "v1").getBytes(StandardCharsets.UTF_8);
        return RouterFunctions.route()
                .GET("/v1/openapi.json", req -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(doc))
                .build();
    }
}

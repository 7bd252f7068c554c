package bridge.gateway.web;

import bridge.gateway.config.GatewayProperties;
import bridge.gateway.grpc.Backends;
import bridge.gateway.grpc.UnaryCaller;
import bridge.gateway.transcoding.RequestTranscoder;
import bridge.gateway.transcoding.RouteMatch;
import bridge.gateway.transcoding.RouteTable;
import bridge.gateway.transcoding.TranscodingException;
import com.google.protobuf.DynamicMessage;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The gateway's one route filter: REST+JSON in, gRPC to the owning service, JSON out — for every
 * RPC with a google.api.http annotation, found in the route table built from the contracts. It
 * answers the request itself (nothing is proxied as HTTP).
 */
public final class GrpcTranscodingGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final byte[] EMPTY = new byte[0];

    private final RouteTable routes;
    private final RequestTranscoder transcoder;
    private final Backends backends;
    private final UnaryCaller caller;
    private final GatewayProperties props;

    public GrpcTranscodingGatewayFilterFactory(RouteTable routes, RequestTranscoder transcoder, Backends backends,
            UnaryCaller caller, GatewayProperties props) {
        super(Object.class);
        this.routes = routes;
        this.transcoder = transcoder;
        this.backends = backends;
        this.caller = caller;
        this.props = props;
    }

    @Override
    public String name() {
        return "GrpcTranscoding";
    }

    @Override
    public GatewayFilter apply(Object config) {
        return (exchange, chain) -> handle(exchange);
    }

    Mono<Void> handle(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String method = request.getMethod().name();
        // the raw (still percent-encoded) path: the matcher decodes each segment once itself
        String path = request.getURI().getRawPath();
        RouteMatch match = routes.match(method, path).orElse(null);
        if (match == null) {
            if (routes.hasPath(path)) {
                exchange.getResponse().getHeaders().set(HttpHeaders.ALLOW, String.join(", ", routes.allowedMethods(path)));
                return Problems.write(exchange, 405, "METHOD_NOT_ALLOWED", method + " is not allowed here", List.of());
            }
            return Problems.write(exchange, 404, "NOT_FOUND", "no such resource", List.of());
        }
        Backends.Backend backend = backends.forService(match.route().method().getService().getFullName()).orElse(null);
        if (backend == null) {
            return Problems.write(exchange, 503, "UNAVAILABLE", "the service is unavailable; retry later", List.of());
        }
        long declared = request.getHeaders().getContentLength();
        if (declared > props.maxBodySize()) {
            return tooLarge(exchange);
        }
        return DataBufferUtils.join(request.getBody(), props.maxBodySize())
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> {
                    DynamicMessage grpcRequest = transcoder.toRequest(match, body, request.getQueryParams(),
                            request.getHeaders().getFirst(IDEMPOTENCY_KEY));
                    return caller.call(backend, match.route().method(), grpcRequest,
                            request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION),
                            RequestIdFilter.requestId(exchange), props.deadline());
                })
                .flatMap(reply -> {
                    byte[] json = transcoder.toJson(reply, match.route());
                    ServerHttpResponse response = exchange.getResponse();
                    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                    response.getHeaders().setContentLength(json.length);
                    return response.writeWith(Mono.just(response.bufferFactory().wrap(json)));
                })
                .onErrorResume(DataBufferLimitException.class, e -> tooLarge(exchange))
                .onErrorResume(TranscodingException.class, e -> Problems.write(exchange, 400, "INVALID_ARGUMENT",
                        e.field().isEmpty() ? e.description() : e.field() + ": " + e.description(),
                        List.of(new Problems.FieldError(e.field(), e.description()))))
                .onErrorResume(StatusRuntimeException.class, e -> Problems.fromGrpc(exchange, e));
    }

    private Mono<Void> tooLarge(ServerWebExchange exchange) {
        return Problems.write(exchange, 413, "PAYLOAD_TOO_LARGE",
                "request body exceeds " + props.maxBodySize() + " bytes", List.of());
    }
}

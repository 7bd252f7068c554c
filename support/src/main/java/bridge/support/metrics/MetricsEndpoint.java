package bridge.support.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.beans.factory.DisposableBean;

/**
 * Services speak gRPC only; Prometheus still scrapes plain HTTP. A small HTTP server on its own
 * port ({@code bridge.metrics.port}, 9464 in a cluster) serves {@code /metrics} from the service's
 * Micrometer registry, without pulling a web stack into the service.
 */
public final class MetricsEndpoint implements DisposableBean {

    private final HTTPServer server;

    public MetricsEndpoint(PrometheusMeterRegistry registry, String host, int port) {
        try {
            this.server = HTTPServer.builder().hostname(host).port(port)
                    .registry(registry.getPrometheusRegistry()).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metrics port " + port, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void destroy() {
        server.close();
    }
}

package bridge.gateway.grpc;

import com.google.protobuf.Descriptors;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Finds every gRPC service contract on the classpath: the generated {@code *Grpc} classes under
 * {@code bridge/proto/}. Adding an annotated RPC to a proto makes it reachable through the gateway
 * with no gateway code.
 */
public final class ContractCatalog {

    public static final String DEFAULT_PATTERN = "classpath*:bridge/proto/**/*Grpc.class";

    private ContractCatalog() {
    }

    public static List<Descriptors.ServiceDescriptor> scan(ClassLoader loader, String pattern) {
        List<Descriptors.ServiceDescriptor> services = new ArrayList<>();
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver(loader).getResources(pattern);
            for (Resource r : resources) {
                String url = r.getURL().toString();
                int at = url.lastIndexOf("bridge/proto/");
                if (at < 0 || url.contains("$")) {
                    continue;
                }
                String className = url.substring(at, url.length() - ".class".length()).replace('/', '.');
                Class<?> type = Class.forName(className, true, loader);
                ServiceDescriptor sd = (ServiceDescriptor) type.getMethod("getServiceDescriptor").invoke(null);
                if (sd.getSchemaDescriptor() instanceof ProtoServiceDescriptorSupplier supplier) {
                    services.add(supplier.getServiceDescriptor());
                }
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the gRPC contracts on the classpath", e);
        }
        services.sort(Comparator.comparing(Descriptors.ServiceDescriptor::getFullName));
        return services;
    }
}

package bridge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import bridge.helm.NetworkModel.Endpoint;

/**
 * What the NetworkPolicies mean, flow by flow: the rendered policies are evaluated (NetworkModel) for every
 * flow Bridge needs (all must be allowed) and for flows it must never have (all must be denied).
 */
class NetworkFlowsTest {

    private static Endpoint ingressController(String namespace, Map<String, String> labels) {
        return Endpoint.pod("ingress-controller", namespace, labels, Map.of());
    }

    private static Endpoint prometheus(Map<String, String> labels) {
        return Endpoint.pod("prometheus", "monitoring", labels, Map.of());
    }

    private static final Endpoint KUBE_DNS = Endpoint.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"), Map.of("dns", 53));
    private static final Endpoint STRANGER = Endpoint.pod("stranger", "other-team", Map.of("app", "x"), Map.of());
    private static final Endpoint NEIGHBOUR = Endpoint.pod("neighbour", Manifests.NAMESPACE, Map.of("app", "unrelated"), Map.of());

    static Stream<String> valuesFiles() {
        return Manifests.valuesNames().stream();
    }

    /** Collects "from -> to:port" for every flow whose verdict is not the expected one. */
    private static final class Verdicts {
        final NetworkModel model;
        final List<String> wrong = new ArrayList<>();

        Verdicts(String values) {
            model = new NetworkModel(Manifests.load(values), Manifests.NAMESPACE);
        }

        void allowed(Endpoint from, Endpoint to, String port) {
            if (!model.allows(from, to, port)) {
                wrong.add("denied but needed: " + from + " -> " + to + ":" + port);
            }
        }

        void denied(Endpoint from, Endpoint to, String port) {
            if (model.allows(from, to, port)) {
                wrong.add("allowed but forbidden: " + from + " -> " + to + ":" + port);
            }
        }

        Endpoint pod(String name) {
            return model.pod(name);
        }
    }

    @Test
    void bundledDependencies() {
        Verdicts v = new Verdicts("bundled-values");
        Endpoint gateway = v.pod("gateway");
        Endpoint consent = v.pod("consent");
        Endpoint peopleDirectory = v.pod("people-directory");
        Endpoint mongodb = v.pod("mongodb");
        Endpoint keycloak = v.pod("keycloak");
        Endpoint ingress = ingressController("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
        Endpoint monitoring = prometheus(Map.of("app.kubernetes.io/name", "prometheus"));

        v.allowed(ingress, gateway, "http");
        v.allowed(v.pod("gateway-test"), gateway, "http");
        v.allowed(ingress, keycloak, "http");
        v.allowed(monitoring, gateway, "http");
        v.allowed(monitoring, keycloak, "management");
        v.allowed(mongodb, mongodb, "mongodb");
        for (String name : v.model.pods().keySet()) {
            v.allowed(v.pod(name), KUBE_DNS, "53");
        }
        for (String service : Manifests.SERVICES) {
            Endpoint s = v.pod(service);
            v.allowed(gateway, s, "grpc");
            v.allowed(s, mongodb, "mongodb");
            v.allowed(s, keycloak, "http");
            v.allowed(monitoring, s, "metrics");
            if (!service.equals("consent")) {
                v.allowed(s, consent, "grpc");
            }
            if (Manifests.PEOPLE_DIRECTORY_CALLERS.contains(service)) {
                v.allowed(s, peopleDirectory, "grpc");
            }
            // never from outside to a service, never a service to a service other than the ones it calls
            v.denied(ingress, s, "grpc");
            v.denied(monitoring, s, "grpc");
            v.denied(STRANGER, s, "grpc");
            v.denied(NEIGHBOUR, s, "grpc");
            v.denied(keycloak, s, "grpc");
            v.denied(mongodb, s, "grpc");
            v.denied(v.pod("gateway-test"), s, "grpc");
            for (String other : Manifests.SERVICES) {
                if (!calls(service, other)) {
                    v.denied(s, v.pod(other), "grpc");
                }
            }
            v.denied(s, gateway, "http");
            v.denied(s, Endpoint.address("1.1.1.1"), "443");
        }
        // referrals hands duty-to-refer and release → benefits referrals over
        v.allowed(v.pod("referrals"), v.pod("housing-liaison"), "grpc");
        v.allowed(v.pod("referrals"), v.pod("benefits-liaison"), "grpc");
        v.allowed(v.pod("housing-liaison"), Endpoint.address("203.0.113.20"), "443");
        v.allowed(v.pod("benefits-liaison"), Endpoint.address("198.51.100.40"), "443");
        v.denied(v.pod("housing-liaison"), Endpoint.address("198.51.100.40"), "443");
        v.denied(v.pod("benefits-liaison"), Endpoint.address("203.0.113.20"), "443");
        v.denied(v.pod("people-directory"), Endpoint.address("203.0.113.20"), "443");
        v.denied(gateway, Endpoint.address("203.0.113.20"), "443");
        v.denied(ingress, mongodb, "mongodb");
        v.denied(gateway, mongodb, "mongodb");
        v.denied(keycloak, mongodb, "mongodb");
        v.denied(STRANGER, gateway, "http");
        v.denied(NEIGHBOUR, gateway, "http");
        v.denied(STRANGER, keycloak, "http");
        v.denied(ingress, keycloak, "management");
        v.denied(keycloak, Endpoint.address("1.1.1.1"), "443");
        v.denied(mongodb, Endpoint.address("1.1.1.1"), "443");
        v.denied(mongodb, keycloak, "http");
        v.denied(v.pod("gateway-test"), keycloak, "http");
        // people-directory: the gateway and its four callers, nobody else (not the bundled dependencies either)
        v.denied(keycloak, peopleDirectory, "grpc");
        v.denied(mongodb, peopleDirectory, "grpc");
        v.denied(ingress, peopleDirectory, "grpc");
        v.denied(ingress, peopleDirectory, "metrics");
        assertThat(v.wrong).isEmpty();
    }

    /** Does service {@code from} call service {@code to} over gRPC (and so get a NetworkPolicy flow to it)? */
    private static boolean calls(String from, String to) {
        if (from.equals(to)) {
            return false;
        }
        return to.equals("consent") || to.equals("people-directory") && Manifests.PEOPLE_DIRECTORY_CALLERS.contains(from)
                || from.equals("referrals") && (to.equals("housing-liaison") || to.equals("benefits-liaison"));
    }

    /**
     * The gRPC ports of the services, in every configuration: reachable from the gateway and from exactly the
     * services that call them (consent: every other service; people-directory: its callers), from no other pod of
     * the release (bundled MongoDB and Keycloak, helm test pod) and from nothing outside it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void servicesAreReachedOverGrpcByExactlyTheirCallers(String values) {
        Verdicts v = new Verdicts(values);
        List<Endpoint> outside = List.of(STRANGER, NEIGHBOUR, ingressController("ingress-nginx", Map.of()),
                ingressController("ingress-system", Map.of("app.kubernetes.io/name", "ingress-nginx")),
                prometheus(Map.of()), Endpoint.address("10.1.2.3"));
        for (String service : Manifests.SERVICES) {
            Endpoint to = v.pod(service);
            for (String from : v.model.pods().keySet()) {
                boolean expected = from.equals("gateway") || Manifests.SERVICES.contains(from) && calls(from, service);
                if (expected) {
                    v.allowed(v.pod(from), to, "grpc");
                } else {
                    v.denied(v.pod(from), to, "grpc");
                }
            }
            for (Endpoint stranger : outside) {
                v.denied(stranger, to, "grpc");
            }
        }
        assertThat(v.wrong).isEmpty();
    }

    @Test
    void externalDependencies() {
        Verdicts v = new Verdicts("external-values");
        Endpoint gateway = v.pod("gateway");
        Endpoint ingress = ingressController("ingress-system", Map.of("app.kubernetes.io/name", "ingress-nginx"));
        Endpoint otherPodInIngressNamespace = ingressController("ingress-system", Map.of("app.kubernetes.io/name", "cert-manager"));
        Endpoint sharedMongo = Endpoint.address("10.20.30.5");
        Endpoint consentMongo = Endpoint.address("10.20.31.5");
        Endpoint keycloak = Endpoint.address("10.40.0.11");

        v.allowed(ingress, gateway, "http");
        v.denied(otherPodInIngressNamespace, gateway, "http");
        v.denied(ingressController("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx")), gateway, "http");
        v.allowed(gateway, keycloak, "8443");
        v.denied(gateway, keycloak, "443");
        v.denied(gateway, sharedMongo, "27017");
        for (String service : Manifests.SERVICES) {
            Endpoint s = v.pod(service);
            v.allowed(s, keycloak, "8443");
            v.denied(s, Endpoint.address("10.40.0.12"), "8443");
            if (service.equals("consent")) {
                // consent has its own database: only that one
                v.allowed(s, consentMongo, "27017");
                v.denied(s, sharedMongo, "27017");
            } else {
                v.allowed(s, sharedMongo, "27017");
                v.denied(s, consentMongo, "27017");
            }
            v.denied(s, sharedMongo, "22");
        }
        v.allowed(v.pod("benefits-liaison"), Endpoint.address("198.51.100.40"), "8443");
        v.denied(v.pod("housing-liaison"), Endpoint.address("203.0.113.20"), "8443");
        assertThat(v.wrong).isEmpty();
    }

    @Test
    void defaultValues() {
        Verdicts v = new Verdicts("default");
        Endpoint gateway = v.pod("gateway");
        v.allowed(ingressController("ingress-nginx", Map.of()), gateway, "http");
        v.denied(ingressController("ingress-system", Map.of()), gateway, "http");
        v.allowed(prometheus(Map.of()), v.pod("consent"), "metrics");
        v.denied(Endpoint.pod("prometheus", "observability", Map.of(), Map.of()), v.pod("consent"), "metrics");
        for (String service : Manifests.SERVICES) {
            // external MongoDB and Keycloak at any address, but only on their ports
            v.allowed(v.pod(service), Endpoint.address("10.1.2.3"), "27017");
            v.allowed(v.pod(service), Endpoint.address("10.1.2.3"), "443");
            v.denied(v.pod(service), Endpoint.address("10.1.2.3"), "80");
            v.denied(v.pod(service), Endpoint.address("10.1.2.3"), "22");
        }
        v.denied(gateway, Endpoint.address("10.1.2.3"), "27017");
        assertThat(v.wrong).isEmpty();
    }
}

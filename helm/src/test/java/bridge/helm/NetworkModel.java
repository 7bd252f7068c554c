package bridge.helm;

import static bridge.helm.Manifests.labels;
import static bridge.helm.Manifests.list;
import static bridge.helm.Manifests.map;
import static bridge.helm.Manifests.maps;
import static bridge.helm.Manifests.name;
import static bridge.helm.Manifests.ofKind;
import static bridge.helm.Manifests.podMetadata;
import static bridge.helm.Manifests.podSpec;
import static bridge.helm.Manifests.str;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small evaluator of Kubernetes NetworkPolicy semantics over the rendered manifests: which pod (or outside
 * endpoint) may open a TCP connection to which port of which other. Policies are additive; a pod selected by a
 * policy of a direction is isolated in that direction and accepts only what some rule allows. Enough of the
 * API to answer the chart's questions: podSelector, namespaceSelector, ipBlock (IPv4, with except), named and
 * numbered ports, matchLabels and matchExpressions.
 */
final class NetworkModel {

    /** A pod of the release, a pod elsewhere in the cluster, or an address outside it (ip set). */
    record Endpoint(String name, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
                    Map<String, Integer> ports, String ip) {

        static Endpoint pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> ports) {
            return new Endpoint(name, namespace, Map.of("kubernetes.io/metadata.name", namespace), labels, ports, null);
        }

        static Endpoint address(String ip) {
            return new Endpoint(ip, null, Map.of(), Map.of(), Map.of(), ip);
        }

        Integer port(String nameOrNumber) {
            if (nameOrNumber.chars().allMatch(Character::isDigit)) {
                return Integer.valueOf(nameOrNumber);
            }
            return ports.get(nameOrNumber);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final String namespace;
    private final List<Map<String, Object>> policies;
    private final Map<String, Endpoint> pods = new LinkedHashMap<>();

    NetworkModel(List<Map<String, Object>> docs, String namespace) {
        this.namespace = namespace;
        this.policies = ofKind(docs, "NetworkPolicy");
        for (Map<String, Object> w : Manifests.workloads(docs)) {
            Map<String, Integer> ports = new HashMap<>();
            for (Map<String, Object> c : Manifests.containers(podSpec(w))) {
                for (Map<String, Object> p : maps(c, "ports")) {
                    if (p.get("name") != null) {
                        ports.put((String) p.get("name"), ((Number) p.get("containerPort")).intValue());
                    }
                }
            }
            Map<String, String> podLabels = labels(podMetadata(w));
            String key = podLabels.getOrDefault("app.kubernetes.io/name", name(w));
            pods.put(key, Endpoint.pod(key, Objects.requireNonNullElse(str(w, "metadata", "namespace"), namespace), podLabels, ports));
        }
    }

    /** A release pod by its app.kubernetes.io/name (gateway, consent, mongodb, keycloak, gateway-test, ...). */
    Endpoint pod(String name) {
        Endpoint pod = pods.get(name);
        if (pod == null) {
            throw new AssertionError("no pod " + name + " rendered; have " + pods.keySet());
        }
        return pod;
    }

    Map<String, Endpoint> pods() {
        return pods;
    }

    /** May {@code from} open a TCP connection to {@code to} on {@code port} (a port name of {@code to}, or a number)? */
    boolean allows(Endpoint from, Endpoint to, String port) {
        Integer number = to.port(port);
        if (number == null) {
            throw new AssertionError(to + " has no port " + port);
        }
        return egressAllows(from, to, port, number) && ingressAllows(from, to, port, number);
    }

    private boolean egressAllows(Endpoint from, Endpoint to, String portName, int port) {
        if (from.ip() != null) {
            return true; // outside the cluster: not ours to police
        }
        List<Map<String, Object>> selecting = selecting(from, "Egress");
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().flatMap(p -> maps(p, "spec", "egress").stream().map(r -> Map.entry(p, r)))
                .anyMatch(e -> portMatches(e.getValue(), to, portName, port)
                        && peersMatch(maps(e.getValue(), "to"), to, str(e.getKey(), "metadata", "namespace")));
    }

    private boolean ingressAllows(Endpoint from, Endpoint to, String portName, int port) {
        if (to.ip() != null) {
            return true;
        }
        List<Map<String, Object>> selecting = selecting(to, "Ingress");
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().flatMap(p -> maps(p, "spec", "ingress").stream().map(r -> Map.entry(p, r)))
                .anyMatch(e -> portMatches(e.getValue(), to, portName, port)
                        && peersMatch(maps(e.getValue(), "from"), from, str(e.getKey(), "metadata", "namespace")));
    }

    private List<Map<String, Object>> selecting(Endpoint pod, String direction) {
        return policies.stream()
                .filter(p -> Objects.equals(Objects.requireNonNullElse(str(p, "metadata", "namespace"), namespace), pod.namespace()))
                .filter(p -> matches(map(p, "spec", "podSelector"), pod.labels()))
                .filter(p -> {
                    List<Object> types = list(p, "spec", "policyTypes");
                    return types.isEmpty() ? direction.equals("Ingress") || !maps(p, "spec", "egress").isEmpty() : types.contains(direction);
                })
                .toList();
    }

    private static boolean portMatches(Map<String, Object> rule, Endpoint to, String portName, int port) {
        List<Map<String, Object>> ports = maps(rule, "ports");
        if (ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(p -> {
            if (!"TCP".equals(Objects.requireNonNullElse(p.get("protocol"), "TCP"))) {
                return false;
            }
            Object value = p.get("port");
            if (value == null) {
                return true;
            }
            if (value instanceof Number n) {
                int end = p.get("endPort") instanceof Number e ? e.intValue() : n.intValue();
                return port >= n.intValue() && port <= end;
            }
            // a named port means the destination pod's port of that name
            return Objects.equals(to.ports().get(String.valueOf(value)), port);
        });
    }

    private static boolean peersMatch(List<Map<String, Object>> peers, Endpoint peer, String policyNamespace) {
        if (peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(p -> peerMatches(p, peer, policyNamespace));
    }

    private static boolean peerMatches(Map<String, Object> peer, Endpoint endpoint, String policyNamespace) {
        if (peer.containsKey("ipBlock")) {
            if (endpoint.ip() == null) {
                return false; // pods are addressed by selectors in this model
            }
            if (!inCidr(endpoint.ip(), str(peer, "ipBlock", "cidr"))) {
                return false;
            }
            return list(peer, "ipBlock", "except").stream().noneMatch(x -> inCidr(endpoint.ip(), String.valueOf(x)));
        }
        if (endpoint.ip() != null) {
            return false; // selectors select pods, never outside addresses
        }
        boolean namespaceOk = peer.containsKey("namespaceSelector")
                ? matches(map(peer, "namespaceSelector"), endpoint.namespaceLabels())
                : Objects.equals(endpoint.namespace(), policyNamespace);
        boolean podOk = !peer.containsKey("podSelector") || matches(map(peer, "podSelector"), endpoint.labels());
        return namespaceOk && podOk;
    }

    /** Kubernetes label selector semantics; an empty selector selects everything. */
    static boolean matches(Map<String, Object> selector, Map<String, String> labels) {
        for (Map.Entry<String, Object> e : map(selector, "matchLabels").entrySet()) {
            if (!Objects.equals(String.valueOf(e.getValue()), labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Map<String, Object> expr : maps(selector, "matchExpressions")) {
            String key = (String) expr.get("key");
            List<String> values = list(expr, "values").stream().map(String::valueOf).toList();
            boolean ok = switch (String.valueOf(expr.get("operator"))) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new AssertionError("unknown operator " + expr);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean inCidr(String ip, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (ipv4(ip) & mask) == (ipv4(parts[0]) & mask);
    }

    private static long ipv4(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }
}

package bridge.helm;

import static bridge.helm.Manifests.allContainers;
import static bridge.helm.Manifests.at;
import static bridge.helm.Manifests.containers;
import static bridge.helm.Manifests.id;
import static bridge.helm.Manifests.kind;
import static bridge.helm.Manifests.labels;
import static bridge.helm.Manifests.list;
import static bridge.helm.Manifests.map;
import static bridge.helm.Manifests.maps;
import static bridge.helm.Manifests.name;
import static bridge.helm.Manifests.ofKind;
import static bridge.helm.Manifests.podMetadata;
import static bridge.helm.Manifests.podSpec;
import static bridge.helm.Manifests.str;
import static bridge.helm.Manifests.workloads;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The platform's rules over rendered manifests. Each rule returns its violations (empty = the rule holds),
 * so that a test can both assert a clean chart and prove, on a deliberately broken copy, that the rule bites.
 */
final class ChartRules {

    static final List<String> REQUIRED_LABELS = List.of(
            "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
            "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by", "helm.sh/chart");
    /** Components whose containers are Bridge's own images (uid 10001). */
    static final Set<String> BRIDGE_COMPONENTS = Set.of("gateway", "grpc-service", "test");
    static final int BRIDGE_UID = 10001;
    static final String GENERATED_SECRET_ANNOTATION = "bridge/generated-secret";
    /** Ports that may be opened to peers outside the release on workloads other than the public ones. */
    static final Set<String> SCRAPE_PORTS = Set.of("metrics", "management");
    /** Workloads that may receive traffic from outside the release (their public port). */
    static final Set<String> PUBLIC_WORKLOADS = Set.of("gateway", "keycloak");

    private ChartRules() {
    }

    // ---------------------------------------------------------------- security

    /** Non-root, read-only root filesystem, no privilege escalation, drop ALL, RuntimeDefault seccomp, no token. */
    static List<String> workloadSecurity(List<Map<String, Object>> docs) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> w : workloads(docs)) {
            Map<String, Object> spec = podSpec(w);
            Map<String, Object> psc = map(spec, "securityContext");
            String component = labels(podMetadata(w)).get("app.kubernetes.io/component");
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if (Boolean.TRUE.equals(spec.get(host))) {
                    violations.add(id(w) + ": " + host);
                }
            }
            if (!Boolean.FALSE.equals(spec.get("automountServiceAccountToken"))) {
                violations.add(id(w) + ": automountServiceAccountToken is not false");
            }
            for (Map<String, Object> c : allContainers(spec)) {
                String where = id(w) + " container " + c.get("name");
                Map<String, Object> csc = map(c, "securityContext");
                if (!Boolean.TRUE.equals(first(csc.get("runAsNonRoot"), psc.get("runAsNonRoot")))) {
                    violations.add(where + ": runAsNonRoot is not true");
                }
                Object uid = first(csc.get("runAsUser"), psc.get("runAsUser"));
                if (!(uid instanceof Number n) || n.intValue() == 0) {
                    violations.add(where + ": runAsUser missing or 0");
                } else if (BRIDGE_COMPONENTS.contains(component) && n.intValue() != BRIDGE_UID) {
                    violations.add(where + ": runAsUser " + n + ", Bridge images run as " + BRIDGE_UID);
                }
                if (!Boolean.TRUE.equals(csc.get("readOnlyRootFilesystem"))) {
                    violations.add(where + ": readOnlyRootFilesystem is not true");
                }
                if (!Boolean.FALSE.equals(csc.get("allowPrivilegeEscalation"))) {
                    violations.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (Boolean.TRUE.equals(csc.get("privileged"))) {
                    violations.add(where + ": privileged");
                }
                if (!list(csc, "capabilities", "drop").contains("ALL")) {
                    violations.add(where + ": capabilities do not drop ALL");
                }
                if (!list(csc, "capabilities", "add").isEmpty()) {
                    violations.add(where + ": capabilities added " + list(csc, "capabilities", "add"));
                }
                Object seccomp = first(at(csc, "seccompProfile", "type"), at(psc, "seccompProfile", "type"));
                if (!"RuntimeDefault".equals(seccomp)) {
                    violations.add(where + ": seccompProfile is not RuntimeDefault");
                }
            }
            if (Set.of("gateway", "grpc-service").contains(component)) {
                violations.addAll(tmpIsEmptyDir(w, spec));
            }
        }
        return violations;
    }

    /** Spring Boot writes to /tmp: with a read-only root it must be an emptyDir. */
    private static List<String> tmpIsEmptyDir(Map<String, Object> w, Map<String, Object> spec) {
        List<String> violations = new ArrayList<>();
        Map<String, Map<String, Object>> volumes = new HashMap<>();
        maps(spec, "volumes").forEach(v -> volumes.put((String) v.get("name"), v));
        for (Map<String, Object> c : containers(spec)) {
            boolean ok = maps(c, "volumeMounts").stream().anyMatch(m -> "/tmp".equals(m.get("mountPath"))
                    && volumes.containsKey(m.get("name")) && volumes.get(m.get("name")).containsKey("emptyDir"));
            if (!ok) {
                violations.add(id(w) + " container " + c.get("name") + ": no emptyDir at /tmp");
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------- probes, resources

    /** Requests (cpu, memory) and a memory limit everywhere; liveness and readiness on long-running containers. */
    static List<String> probesAndResources(List<Map<String, Object>> docs) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> w : workloads(docs)) {
            Map<String, Object> spec = podSpec(w);
            for (Map<String, Object> c : allContainers(spec)) {
                String where = id(w) + " container " + c.get("name");
                for (String[] path : new String[][] {{"requests", "cpu"}, {"requests", "memory"}, {"limits", "memory"}}) {
                    if (at(c, "resources", path[0], path[1]) == null) {
                        violations.add(where + ": no resources." + path[0] + "." + path[1]);
                    }
                }
            }
            if (Manifests.longRunning(w)) {
                for (Map<String, Object> c : containers(spec)) {
                    for (String probe : List.of("livenessProbe", "readinessProbe")) {
                        if (map(c, probe).isEmpty()) {
                            violations.add(id(w) + " container " + c.get("name") + ": no " + probe);
                        }
                    }
                }
            } else {
                // run to completion (Job, test Pod): a deadline instead of probes
                Object deadline = "CronJob".equals(kind(w))
                        ? at(w, "spec", "jobTemplate", "spec", "activeDeadlineSeconds")
                        : at(w, "spec", "activeDeadlineSeconds");
                if (!(deadline instanceof Number)) {
                    violations.add(id(w) + ": run-to-completion workload without activeDeadlineSeconds");
                }
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------- labels

    static List<String> requiredLabels(List<Map<String, Object>> docs) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> doc : docs) {
            violations.addAll(labelViolations(id(doc), labels(doc, "metadata")));
            if (podSpec(doc) != null) {
                violations.addAll(labelViolations(id(doc) + " pod template", labels(podMetadata(doc))));
            }
        }
        return violations;
    }

    private static List<String> labelViolations(String where, Map<String, String> labels) {
        List<String> violations = new ArrayList<>();
        for (String key : REQUIRED_LABELS) {
            Object value = labels.get(key);
            if (value == null || String.valueOf(value).isBlank()) {
                violations.add(where + ": label " + key + " missing");
            }
        }
        if (labels.containsKey("app.kubernetes.io/part-of") && !"bridge".equals(labels.get("app.kubernetes.io/part-of"))) {
            violations.add(where + ": part-of is not bridge");
        }
        if (labels.containsKey("app.kubernetes.io/managed-by") && !"Helm".equals(labels.get("app.kubernetes.io/managed-by"))) {
            violations.add(where + ": managed-by is not Helm");
        }
        if (labels.containsKey("app.kubernetes.io/instance") && !Manifests.RELEASE.equals(labels.get("app.kubernetes.io/instance"))) {
            violations.add(where + ": instance is not the release");
        }
        return violations;
    }

    // ---------------------------------------------------------------- service accounts, HPA, PDB

    /** Each long-running workload has its own ServiceAccount, which mounts no token. */
    static List<String> serviceAccounts(List<Map<String, Object>> docs) {
        List<String> violations = new ArrayList<>();
        Map<String, String> usedBy = new HashMap<>();
        for (Map<String, Object> w : workloads(docs)) {
            if (!Manifests.longRunning(w)) {
                continue;
            }
            String sa = str(podSpec(w), "serviceAccountName");
            if (sa == null || sa.equals("default")) {
                violations.add(id(w) + ": no own ServiceAccount");
                continue;
            }
            String previous = usedBy.put(sa, id(w));
            if (previous != null) {
                violations.add(id(w) + ": shares ServiceAccount " + sa + " with " + previous);
            }
            Map<String, Object> account = docs.stream().filter(d -> "ServiceAccount".equals(kind(d)) && sa.equals(name(d)))
                    .findFirst().orElse(null);
            if (account == null) {
                violations.add(id(w) + ": ServiceAccount " + sa + " is not rendered");
            } else if (!Boolean.FALSE.equals(account.get("automountServiceAccountToken"))) {
                violations.add("ServiceAccount/" + sa + ": automountServiceAccountToken is not false");
            }
        }
        return violations;
    }

    /**
     * A PodDisruptionBudget for every Deployment and StatefulSet; a HorizontalPodAutoscaler (min 2) for every
     * Bridge Deployment, which then leaves replicas to it. The bundled database and Keycloak get no HPA: a replica
     * set member or a single-writer H2 Keycloak is not scaled by CPU.
     */
    static List<String> hpaAndPdb(List<Map<String, Object>> docs) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> w : workloads(docs)) {
            if (!Set.of("Deployment", "StatefulSet").contains(kind(w))) {
                continue;
            }
            Map<String, String> podLabels = labels(podMetadata(w));
            boolean pdb = ofKind(docs, "PodDisruptionBudget").stream()
                    .anyMatch(p -> selects(map(p, "spec", "selector"), podLabels));
            if (!pdb) {
                violations.add(id(w) + ": no PodDisruptionBudget selects its pods");
            }
            if ("Deployment".equals(kind(w)) && Set.of("gateway", "grpc-service").contains(podLabels.get("app.kubernetes.io/component"))) {
                Map<String, Object> hpa = ofKind(docs, "HorizontalPodAutoscaler").stream()
                        .filter(h -> "Deployment".equals(str(h, "spec", "scaleTargetRef", "kind"))
                                && name(w).equals(str(h, "spec", "scaleTargetRef", "name")))
                        .findFirst().orElse(null);
                if (hpa == null) {
                    violations.add(id(w) + ": no HorizontalPodAutoscaler");
                } else {
                    if (at(w, "spec", "replicas") != null) {
                        violations.add(id(w) + ": sets replicas although an HPA scales it");
                    }
                    if (!(at(hpa, "spec", "minReplicas") instanceof Number n) || n.intValue() < 2) {
                        violations.add(id(hpa) + ": minReplicas below 2");
                    }
                }
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------- NetworkPolicies

    /** A policy that selects every pod of the release, for ingress and egress, and allows nothing. */
    static List<String> defaultDeny(List<Map<String, Object>> docs) {
        boolean present = ofKind(docs, "NetworkPolicy").stream().anyMatch(p ->
                map(p, "spec", "podSelector", "matchLabels").equals(Map.of("app.kubernetes.io/instance", Manifests.RELEASE))
                        && list(p, "spec", "podSelector", "matchExpressions").isEmpty()
                        && list(p, "spec", "policyTypes").containsAll(List.of("Ingress", "Egress"))
                        && list(p, "spec", "ingress").isEmpty() && list(p, "spec", "egress").isEmpty());
        return present ? List.of() : List.of("no default-deny NetworkPolicy (all release pods, Ingress and Egress, no rules)");
    }

    /** Every port of every Service is opened by an ingress rule of a policy that selects that Service's pods by name. */
    static List<String> servicesCoveredByNetworkPolicies(List<Map<String, Object>> docs) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> svc : ofKind(docs, "Service")) {
            Map<String, Object> selector = map(svc, "spec", "selector");
            List<Map<String, Object>> policies = ofKind(docs, "NetworkPolicy").stream()
                    .filter(p -> {
                        Map<String, Object> ml = map(p, "spec", "podSelector", "matchLabels");
                        return ml.containsKey("app.kubernetes.io/name") && selector.entrySet().containsAll(ml.entrySet());
                    }).toList();
            if (policies.isEmpty()) {
                violations.add(id(svc) + ": no NetworkPolicy selects its pods");
                continue;
            }
            for (Map<String, Object> port : maps(svc, "spec", "ports")) {
                String target = String.valueOf(Objects.requireNonNullElse(port.get("targetPort"), port.get("port")));
                boolean opened = policies.stream().flatMap(p -> maps(p, "spec", "ingress").stream()).anyMatch(rule ->
                        maps(rule, "ports").isEmpty()
                                || maps(rule, "ports").stream().anyMatch(pp -> target.equals(String.valueOf(pp.get("port")))));
                if (!opened) {
                    violations.add(id(svc) + ": port " + target + " opened by no ingress rule");
                }
            }
        }
        return violations;
    }

    /**
     * Only the public workloads (gateway; the bundled Keycloak's login) accept traffic from outside the release;
     * elsewhere, outside peers (other namespaces, IP blocks, anyone) may reach scrape ports only.
     */
    static List<String> onlyPublicWorkloadsFromOutside(List<Map<String, Object>> docs) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> p : ofKind(docs, "NetworkPolicy")) {
            String selected = str(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name");
            for (Map<String, Object> rule : maps(p, "spec", "ingress")) {
                List<Map<String, Object>> from = maps(rule, "from");
                boolean outside = from.isEmpty() || from.stream().anyMatch(peer -> !insideRelease(peer));
                if (!outside || PUBLIC_WORKLOADS.contains(selected)) {
                    continue;
                }
                List<Map<String, Object>> ports = maps(rule, "ports");
                if (ports.isEmpty() || !ports.stream().allMatch(pp -> SCRAPE_PORTS.contains(String.valueOf(pp.get("port"))))) {
                    violations.add(id(p) + ": lets peers outside the release reach " + (ports.isEmpty() ? "every port" : ports));
                }
            }
        }
        return violations;
    }

    private static boolean insideRelease(Map<String, Object> peer) {
        return peer.keySet().equals(Set.of("podSelector"))
                && Manifests.RELEASE.equals(str(peer, "podSelector", "matchLabels", "app.kubernetes.io/instance"));
    }

    // ---------------------------------------------------------------- secrets

    /**
     * No Secret carries values, except — where allowed (the bundled-dependencies configuration) — those the chart
     * generates for its bundled database and Keycloak, annotated bridge/generated-secret.
     */
    static List<String> noPlainSecrets(List<Map<String, Object>> docs, boolean generatedAllowed) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> s : ofKind(docs, "Secret")) {
            boolean hasValues = !map(s, "data").isEmpty() || !map(s, "stringData").isEmpty();
            boolean generated = "true".equals(str(s, "metadata", "annotations", GENERATED_SECRET_ANNOTATION));
            if (hasValues && !(generatedAllowed && generated)) {
                violations.add(id(s) + ": renders secret values");
            }
        }
        return violations;
    }

    /** The demo realm's passwords and client secrets appear nowhere (the bundled configuration aside). */
    static List<String> noDemoCredentials(List<Map<String, Object>> docs) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> doc : docs) {
            String text = String.valueOf(doc);
            for (String marker : List.of("bridge-demo", "-integrator-secret")) {
                if (text.contains(marker)) {
                    violations.add(id(doc) + ": contains demo credential marker '" + marker + "'");
                }
            }
        }
        return violations;
    }

    /** Every rendered copy of the realm is the repository's realm file, byte for byte. */
    static List<String> realmIsTheRepositoryFile(List<Map<String, Object>> docs, byte[] realmFile) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> cm : ofKind(docs, "ConfigMap")) {
            Object realm = map(cm, "data").get("bridge-realm.json");
            if (realm != null && !Arrays.equals(String.valueOf(realm).getBytes(StandardCharsets.UTF_8), realmFile)) {
                violations.add(id(cm) + ": bridge-realm.json differs from files/keycloak/bridge-realm.json");
            }
        }
        return violations;
    }

    // ---------------------------------------------------------------- helpers

    static boolean selects(Map<String, Object> selector, Map<String, String> podLabels) {
        return NetworkModel.matches(selector, podLabels);
    }

    private static Object first(Object a, Object b) {
        return a != null ? a : b;
    }
}

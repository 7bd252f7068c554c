package bridge.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The chart as rendered by scripts/verify-chart.sh: one file per values file, many objects each. */
final class Manifests {

    static final String RELEASE = "bridge";
    static final String NAMESPACE = "bridge";
    static final List<String> SERVICES = List.of("people-directory", "consent", "referrals", "housing-liaison", "benefits-liaison");
    /** The services that call people-directory over gRPC (may the calling agency see this person at all?). */
    static final List<String> PEOPLE_DIRECTORY_CALLERS = List.of("consent", "referrals", "housing-liaison", "benefits-liaison");
    static final List<String> APPS = List.of("gateway", "people-directory", "consent", "referrals", "housing-liaison", "benefits-liaison");
    static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod");

    private Manifests() {
    }

    static Path chartDir() {
        return Path.of(System.getProperty("bridge.helm.chart", "bridge"));
    }

    static Path renderedDir() {
        return Path.of(System.getProperty("bridge.helm.rendered", "target/rendered"));
    }

    /** "default" plus the name of every bridge/ci/*-values.yaml, i.e. every configuration the build renders. */
    static List<String> valuesNames() {
        List<String> names = new ArrayList<>();
        names.add("default");
        try (Stream<Path> files = Files.list(chartDir().resolve("ci"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-values.yaml")).sorted()
                    .forEach(n -> names.add(n.substring(0, n.length() - ".yaml".length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static final Map<String, List<Map<String, Object>>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The rendered objects of one configuration, parsed once; read them, never change them (see {@link #loadCopy}). */
    static List<Map<String, Object>> load(String valuesName) {
        return CACHE.computeIfAbsent(valuesName, Manifests::loadCopy);
    }

    /** A fresh, modifiable parse, for tests that break a manifest on purpose. */
    static List<Map<String, Object>> loadCopy(String valuesName) {
        Path file = renderedDir().resolve(valuesName + ".yaml");
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("not rendered: " + file + " (run scripts/verify-chart.sh)", e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String yamlText) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(options).loadAll(yamlText)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    // ---- navigation ----

    static String kind(Map<String, Object> doc) {
        return (String) doc.get("kind");
    }

    static String name(Map<String, Object> doc) {
        return str(doc, "metadata", "name");
    }

    static String id(Map<String, Object> doc) {
        return kind(doc) + "/" + name(doc);
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(kind(d))).toList();
    }

    static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(kind(d)) && name.equals(name(d))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " rendered"));
    }

    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current == null) {
                return null;
            }
            if (step instanceof Integer i) {
                if (!(current instanceof List<?> list) || list.size() <= i) {
                    return null;
                }
                current = list.get(i);
            } else {
                if (!(current instanceof Map<?, ?> map)) {
                    return null;
                }
                current = map.get(step);
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, Object... path) {
        Object value = at(node, path);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, Object... path) {
        Object value = at(node, path);
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object node, Object... path) {
        return list(node, path).stream().filter(Map.class::isInstance).map(o -> (Map<String, Object>) o).toList();
    }

    static String str(Object node, Object... path) {
        Object value = at(node, path);
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Object node, Object... pathToMetadata) {
        Map<String, Object> meta = map(node, pathToMetadata);
        return (Map<String, String>) (Map<?, ?>) map(meta, "labels");
    }

    /** The pod template's spec of a workload (the spec itself for a Pod), or null for other kinds. */
    static Map<String, Object> podSpec(Map<String, Object> doc) {
        return switch (Objects.requireNonNullElse(kind(doc), "")) {
            case "Pod" -> map(doc, "spec");
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> map(doc, "spec", "template", "spec");
            case "CronJob" -> map(doc, "spec", "jobTemplate", "spec", "template", "spec");
            default -> null;
        };
    }

    /** The pod template's metadata (the object's own for a Pod). */
    static Map<String, Object> podMetadata(Map<String, Object> doc) {
        return switch (Objects.requireNonNullElse(kind(doc), "")) {
            case "Pod" -> map(doc, "metadata");
            case "CronJob" -> map(doc, "spec", "jobTemplate", "spec", "template", "metadata");
            default -> map(doc, "spec", "template", "metadata");
        };
    }

    static List<Map<String, Object>> workloads(List<Map<String, Object>> docs) {
        return docs.stream().filter(d -> WORKLOAD_KINDS.contains(kind(d))).toList();
    }

    /** Long-running workloads (not run-to-completion Jobs and test/hook Pods). */
    static boolean longRunning(Map<String, Object> doc) {
        return Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet").contains(kind(doc));
    }

    static List<Map<String, Object>> containers(Map<String, Object> podSpec) {
        return maps(podSpec, "containers");
    }

    static List<Map<String, Object>> allContainers(Map<String, Object> podSpec) {
        List<Map<String, Object>> all = new ArrayList<>(maps(podSpec, "initContainers"));
        all.addAll(maps(podSpec, "containers"));
        return all;
    }

    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> e : maps(container, "env")) {
            Object value = e.get("value");
            if (value == null && e.get("valueFrom") != null) {
                Map<String, Object> ref = map(e, "valueFrom", "secretKeyRef");
                value = ref.isEmpty() ? "valueFrom" : "secret:" + ref.get("name") + "/" + ref.get("key");
            }
            env.put((String) e.get("name"), value == null ? null : String.valueOf(value));
        }
        return env;
    }
}

package bridge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.KubernetesResource;

/**
 * Every rendered built-in object binds to the Kubernetes API's own types (fabric8's generated models of the OpenAPI
 * schema), with no field left over: a misspelt or misplaced field (readinesProbe, matchLabelKeys under the
 * wrong parent, a string where a number belongs) fails here instead of at install time. This is what an API
 * server's strict field validation would say, without a cluster.
 */
class KubernetesSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<String> valuesFiles() {
        return Manifests.valuesNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void everyObjectMatchesTheApiSchema(String values) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> doc : Manifests.load(values)) {
            problems.addAll(problems(doc));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aMisspeltFieldIsCaught() {
        Map<String, Object> deployment = Manifests.loadCopy("default").stream()
                .filter(d -> "Deployment".equals(Manifests.kind(d))).findFirst().orElseThrow();
        Map<String, Object> container = Manifests.containers(Manifests.podSpec(deployment)).get(0);
        container.put("readinesProbe", container.remove("readinessProbe"));
        assertThat(problems(deployment)).anyMatch(p -> p.contains("readinesProbe"));
    }

    @Test
    void aWrongTypeIsCaught() {
        Map<String, Object> hpa = Manifests.loadCopy("default").stream()
                .filter(d -> "HorizontalPodAutoscaler".equals(Manifests.kind(d))).findFirst().orElseThrow();
        Manifests.map(hpa, "spec").put("minReplicas", "two");
        assertThat(problems(hpa)).isNotEmpty();
    }

    static List<String> problems(Map<String, Object> doc) {
        String id = Manifests.id(doc);
        if (String.valueOf(doc.get("apiVersion")).startsWith("monitoring.coreos.com/")) {
            return List.of(); // Prometheus Operator CRDs: no model on Maven Central here; MonitoringTest reads them
        }
        KubernetesResource typed;
        try {
            typed = MAPPER.convertValue(doc, KubernetesResource.class);
        } catch (IllegalArgumentException e) {
            return List.of(id + ": " + e.getMessage());
        }
        if (typed == null || typed.getClass().getSimpleName().startsWith("Generic")) {
            return List.of(id + ": no model for " + doc.get("apiVersion") + " " + doc.get("kind"));
        }
        List<String> problems = new ArrayList<>();
        leftovers(typed, id, problems, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return problems;
    }

    /** Walks the typed object; any "additionalProperties" are fields the schema does not have. */
    private static void leftovers(Object node, String path, List<String> problems, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                leftovers(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> leftovers(v, path + "." + k, problems, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            leftovers(value, path + "." + field, problems, seen);
        }
    }
}

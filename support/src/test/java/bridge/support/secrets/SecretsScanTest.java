package bridge.support.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Secrets come from files or the environment, never from the repository: this scans every text file
 * of the repository (sources, configuration, the Helm chart, scripts, docs) for private keys, cloud
 * and chat tokens, literal JWTs, and configuration that assigns a literal password or secret. The
 * one allowed exception is the demo realm (helm/bridge/files/keycloak/bridge-realm.json), whose
 * values are demo values by construction — checked here: every client secret is
 * {@code <client id>-secret} and every user password is {@code bridge-demo}, so a real one cannot
 * hide among them. How they are kept out of deployments: docs/reliability.md.
 */
class SecretsScanTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path REALM = ROOT.resolve("helm/bridge/files/keycloak/bridge-realm.json");
    static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", ".bridge", ".cifuzz-corpus",
            ".mvn", ".idea");

    static final Pattern EVERYWHERE = Pattern.compile(
            "-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"
                    + "|\\bAKIA[0-9A-Z]{16}\\b"
                    + "|\\bgh[pousr]_[A-Za-z0-9]{30,}"
                    + "|\\bxox[abprs]-[A-Za-z0-9-]{10,}"
                    + "|\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}");
    /** In configuration (not code, whose tests need fake values): a key naming a secret set to a literal. */
    static final Pattern CONFIG_ASSIGNMENT = Pattern.compile(
            "(?i)[\"']?[\\w.-]*(password|passwd|secret|api[_-]?key|private[_-]?key|credentials?)[\"']?[ \\t]*[:=][ \\t]*[\"']?"
                    + "(?<value>[^\\s\"'#,}]{4,})");
    static final Set<String> CONFIG_SUFFIXES = Set.of(".yml", ".yaml", ".properties", ".env", ".json", ".sh", ".conf",
            ".toml", ".xml", ".tpl", ".txt");

    @Test
    void noSecretsInTheRepository() throws IOException {
        assertThat(ROOT.resolve("pom.xml")).as("the scan runs from a module of the repository").exists();
        List<String> findings = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).filter(SecretsScanTest::scanned)::iterator) {
                byte[] bytes = Files.readAllBytes(file);
                if (bytes.length > 2_000_000 || isBinary(bytes)) {
                    continue;
                }
                scanned++;
                String text = new String(bytes, StandardCharsets.UTF_8);
                String rel = ROOT.relativize(file).toString();
                Matcher m = EVERYWHERE.matcher(text);
                while (m.find()) {
                    findings.add(rel + ": " + m.group());
                }
                if (isConfig(rel) && !file.equals(REALM)) {
                    Matcher a = CONFIG_ASSIGNMENT.matcher(text);
                    while (a.find()) {
                        if (!isReference(a.group("value")) && !namesASecret(a.group())) {
                            findings.add(rel + ": " + a.group());
                        }
                    }
                }
            }
        }
        assertThat(scanned).as("files scanned").isGreaterThan(200);
        assertThat(findings).as("literal secrets").isEmpty();
    }

    @Test
    void theDemoRealmHoldsDemoValuesOnly() throws IOException {
        String realm = Files.readString(REALM);
        List<Map<String, Object>> clients = JsonPath.read(realm, "$.clients[?(@.secret)]");
        assertThat(clients).isNotEmpty();
        for (Map<String, Object> c : clients) {
            assertThat(c.get("secret")).as((String) c.get("clientId")).isEqualTo(c.get("clientId") + "-secret");
        }
        List<String> passwords = JsonPath.read(realm, "$.users[*].credentials[*].value");
        assertThat(passwords).isNotEmpty().containsOnly("bridge-demo");
    }

    @Test
    void thePatternsFindPlantedSecrets() {
        // written in pieces, so that this file does not hold what the scan looks for
        for (String planted : List.of("-----BEGIN " + "PRIVATE KEY-----", "AKIA" + "ABCDEFGHIJKLMNOP",
                "eyJ" + "hbGciOiJSUzI1NiJ9." + "eyJ" + "zdWIiOiJ4eHh4eHgifQ.c2lnbmF0dXJlc2lnbmF0dXJl")) {
            assertThat(EVERYWHERE.matcher(planted).find()).as(planted).isTrue();
        }
        for (String planted : List.of("password: hunter22", "client_secret=s3cr3t-value", "\"secret\": \"abcd1234\"",
                "spring.data.mongodb.password = Pa55word!")) {
            Matcher m = CONFIG_ASSIGNMENT.matcher(planted);
            assertThat(m.find() && !isReference(m.group("value")) && !namesASecret(m.group())).as(planted).isTrue();
        }
        for (String reference : List.of("password: ${MONGO_PASSWORD}", "existingSecret: bridge-mongodb",
                "passwordKey: password", "clientSecret: {{ .Values.x }}")) {
            Matcher m = CONFIG_ASSIGNMENT.matcher(reference);
            assertThat(m.find() && !isReference(m.group("value")) && !namesASecret(m.group())).as(reference).isFalse();
        }
    }

    /** Placeholders, references and obviously non-secret words are not findings. */
    static boolean isReference(String value) {
        return value.startsWith("${") || value.startsWith("{{") || value.startsWith("$") || value.startsWith("<")
                || value.startsWith("/") || value.startsWith("@") || value.startsWith("(")
                || value.matches("(?i)(true|false|null|none|required|optional|changeme|\\*+|x+|\\.\\.\\.|[A-Z_]+)")
                || value.matches("(?i).*(secret|key|password|ref|name|file)s?")
                || value.matches("-?\\d+[smhd]?");
    }

    /** Keys that name where a secret is (existingSecret, secretName, passwordKey, secret: volumes...), not the secret. */
    static boolean namesASecret(String assignment) {
        String key = assignment.substring(0, assignment.indexOf(assignment.contains(":") ? ':' : '=')).replaceAll("[\"'\\s]", "");
        return key.matches("(?i).*(existingsecret|secretname|secretref|passwordkey|secretkey|keyref|passwordfile|credentialsfile|secretfile)");
    }

    static boolean isConfig(String rel) {
        return CONFIG_SUFFIXES.stream().anyMatch(rel::endsWith) || rel.endsWith("Dockerfile") || rel.startsWith("bin/");
    }

    static boolean scanned(Path file) {
        for (Path part : ROOT.relativize(file)) {
            String name = part.toString();
            if (SKIPPED_DIRS.contains(name) || name.endsWith("Inputs")) {
                return false; // build output, dependencies, fuzz corpora (random bytes)
            }
        }
        return true;
    }

    static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }
}

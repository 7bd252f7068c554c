package bridge.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/operations.md: its links lead somewhere, and it covers what the platform team must be able to do. */
class OperationsDocTest {

    private static final Path OPERATIONS = Path.of(System.getProperty("bridge.docs.operations", "../docs/operations.md"));

    @Test
    void internalLinksAndRepositoryLinksResolve() throws IOException {
        String text = Files.readString(OPERATIONS);
        Set<String> anchors = MonitoringTest.anchors(OPERATIONS);
        List<String> broken = new ArrayList<>();
        Matcher m = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher(text);
        while (m.find()) {
            String target = m.group(1);
            if (target.startsWith("http")) {
                continue;
            }
            if (target.startsWith("#")) {
                if (!anchors.contains(target.substring(1))) {
                    broken.add(target);
                }
            } else if (!Files.exists(OPERATIONS.getParent().resolve(target.replaceFirst("#.*", "")))) {
                broken.add(target);
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void coversTheOperationsTheChartPromises() throws IOException {
        assertThat(MonitoringTest.anchors(OPERATIONS)).contains("install", "upgrade", "rollback", "scaling",
                "backup-and-restore-of-mongodb", "point-in-time-oplog", "restore-drill", "rotating-keycloak-signing-keys",
                "rotating-secrets", "onboarding-a-new-agency", "runbooks");
        String text = Files.readString(OPERATIONS);
        assertThat(text).contains("mongodump", "mongorestore", "--oplogReplay", "--oplogLimit", "helm rollback",
                "helm/scripts/onboard-agency.sh", "rsa-generated");
    }
}

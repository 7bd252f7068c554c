package bridge.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The image recipe matches what the chart assumes; the shipped scripts at least parse. */
class DockerAndScriptsTest {

    private static final Path DOCKER = Path.of(System.getProperty("bridge.docker.dir", "../docker"));
    private static final Path SCRIPTS = Path.of(System.getProperty("bridge.helm.scripts", "scripts"));

    @Test
    void dockerfileBuildsAnyModuleAsUid10001OnTemurin25() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertThat(dockerfile).contains("ARG MODULE", "./mvnw", "FROM eclipse-temurin:25-jre", "-0.1.0-SNAPSHOT-exec.jar",
                "USER 10001:10001", "EXPOSE 8080 9090 9464");
        assertThat(dockerfile).doesNotContainIgnoringCase("USER root");
    }

    @Test
    void dockerReadmeBuildsAllSixImagesUnderTheNamesTheChartUses() throws IOException {
        String readme = Files.readString(DOCKER.resolve("README.md"));
        for (String module : List.of("gateway", "services/people-directory", "services/consent", "services/referrals",
                "services/housing-liaison", "services/benefits-liaison")) {
            assertThat(readme).contains(module);
        }
        assertThat(readme).contains("--build-arg MODULE=").contains("image.registry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"verify-chart.sh", "onboard-agency.sh"})
    void shellScriptsParse(String script) {
        Helm.Result result = Helm.run(List.of("bash", "-n", SCRIPTS.resolve(script).toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void mongodbBootstrapParses() {
        Path files = Manifests.chartDir().resolve("charts/mongodb/files");
        Helm.Result bash = Helm.run(List.of("bash", "-n", files.resolve("bootstrap.sh").toString()));
        assertThat(bash.exitCode()).as(bash.output()).isZero();
        Helm.Result node;
        try {
            node = Helm.run(List.of("node", "--check", files.resolve("bootstrap.js").toString()));
        } catch (AssertionError noNode) {
            assumeTrue(false, "node is not installed");
            return;
        }
        assertThat(node.exitCode()).as(node.output()).isZero();
    }

    @Test
    void onboardingScriptExplainsItselfAndRefusesMissingArguments() {
        Helm.Result help = Helm.run(List.of("bash", SCRIPTS.resolve("onboard-agency.sh").toString(), "--help"));
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("--alias", "--type", "--name", "--keycloak-url", "--admin-user");
        Helm.Result missing = Helm.run(List.of("bash", SCRIPTS.resolve("onboard-agency.sh").toString(), "--alias", "x"));
        assertThat(missing.exitCode()).isNotZero();
        Helm.Result badType = Helm.run(List.of("bash", SCRIPTS.resolve("onboard-agency.sh").toString(), "--alias", "leeds-hostels",
                "--type", "HOTEL", "--name", "Leeds Hostels", "--keycloak-url", "http://127.0.0.1:1", "--admin-user", "a", "--admin-password-file", "/dev/null"));
        assertThat(badType.exitCode()).isNotZero();
        assertThat(badType.output()).contains("HOTEL");
    }
}

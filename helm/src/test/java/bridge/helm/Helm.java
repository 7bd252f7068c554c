package bridge.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the helm binary the build installed (target/helm-bin), with its state kept under target/. */
final class Helm {

    record Result(int exitCode, String output) {
    }

    private Helm() {
    }

    static Result template(String... args) {
        List<String> command = new ArrayList<>(List.of(System.getProperty("bridge.helm.binary", "target/helm-bin/helm/helm"),
                "template", Manifests.RELEASE, Manifests.chartDir().toString(), "--namespace", Manifests.NAMESPACE));
        command.addAll(List.of(args));
        return run(command);
    }

    static Result run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Path home = Path.of(System.getProperty("bridge.helm.home", "target/helm-home"));
            builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

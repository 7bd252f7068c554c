package bridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** docs/benchmarks.md from one run: machine, command, targets met or missed, every scenario, footprint. */
final class Report {

    record Withdrawal(int runs, int deniedOnNextRequest, double medianMillis, double worstMillis) {
    }

    /** One verification; {@code answered} false when there was no verdict at all (e.g. a timeout). */
    record Verification(String what, boolean intact, long entries, double seconds, boolean answered) {

        Verification(String what, boolean intact, long entries, double seconds) {
            this(what, intact, entries, seconds, true);
        }

        static Verification notVerified(String what, double seconds) {
            return new Verification(what, false, 0, seconds, false);
        }

        double perSecond() {
            return entries / seconds;
        }
    }

    private final BenchDriver.Plan plan;
    private final long launchMillis;
    private final long readyMillis;
    private final String flags;
    private final String loadAtStart = loadAverage();
    /** The load average when bin/bench started, before its own build (exported as BENCH_LOAD_AT_START). */
    private final String loadBeforeBuild = loadAverageOf(System.getenv().getOrDefault("BENCH_LOAD_AT_START", ""));
    /** When bin/bench was started (it exports BENCH_STARTED_MS), so the build counts in "command to ready". */
    private final long commandMillis = Long.parseLong(System.getenv().getOrDefault("BENCH_STARTED_MS", "0"));
    private final Instant started = Instant.now();

    double totalSeconds;
    double seedSeconds;
    int sharedRecordBytes;
    Map<String, ProcessSampler.Usage> idle = Map.of();
    Measurement s1Saturation;
    Measurement s1Direct;
    Measurement s1Mongo;
    Measurement s1Open;
    int s1OpenRate;
    Jfr.Profile s1Profile;
    /** docs-relative path of the S1 flame graph, or why there is none. */
    String s1Flame;
    String s1FlameFailure;
    /** What each process group (and the rest of the machine) used from the first scenario to the last. */
    Map<String, ProcessSampler.Usage> wholeRun = Map.of();
    /** The gateway's answers by HTTP status during each gateway scenario (from its own metrics). */
    final Map<String, Map<String, Long>> statuses = new java.util.LinkedHashMap<>();
    Measurement s2Search;
    Measurement s3Create;
    Measurement s3Accept;
    Measurement s4Policy;
    Measurement s4Grpc;
    Withdrawal s4Withdrawal;
    Measurement s5Append;
    List<Verification> s5VerifyLocal = List.of();
    List<Verification> s5VerifyPlatform = List.of();

    Report(BenchDriver.Plan plan, long launchMillis, long readyMillis, String flags) {
        this.plan = plan;
        this.launchMillis = launchMillis;
        this.readyMillis = readyMillis;
        this.flags = flags;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        String command = "bin/bench" + (flags.isBlank() ? "" : " " + flags);
        md.append("# Benchmarks\n\n");
        String loadAtEnd = loadAverage();
        ProcessSampler.Usage others = wholeRun.get(ProcessSampler.OTHERS);
        if (contended(loadBeforeBuild, others)) {
            md.append("> **Contended run.** ").append(contention(others))
                    .append(" Throughputs below are lower bounds and latencies upper bounds; compare CPU per request "
                            + "and ratios, and re-run `bin/bench` on a quiet machine before quoting absolute figures.\n\n");
        }
        md.append("Written by `").append(command).append("` on ").append(started.truncatedTo(ChronoUnit.SECONDS))
                .append(" (").append(plan.quick() ? "**quick mode**: short durations and small data — a smoke test of the "
                        + "harness, not figures to quote" : "full run").append("). ");
        md.append("The platform ran in one process (five services, gateway, embedded Mongo server, WireMock; Keycloak as its "
                + "child process), the load came from a second process on loopback (wrk, Gatling, JMH), all on this one machine. "
                + "Absolute figures on 2 shared cores are noisy; the ratios are the point. Timed assertions are never part of "
                + "the test suite.\n\n");
        md.append("Machine load (1/5/15-minute load average) when `bin/bench` was started, before its own build: ")
                .append(loadBeforeBuild).append("; when the scenarios started: ").append(loadAtStart)
                .append("; when they ended: ").append(loadAtEnd).append(". ")
                .append(others == null ? "" : String.format(Locale.ROOT, "Processes other than the platform, Keycloak and the "
                        + "load generator used %.0f%% of one core on average while the scenarios ran (the machine's busy time "
                        + "from /proc/stat minus the benchmark's own processes). ", others.cpuPercent()))
                .append("The load average during the run counts the benchmark's own threads, so contention is judged by the "
                        + "load before the build and by the other processes' CPU.\n\n");

        md.append("## Machine\n\n| | |\n|---|---|\n");
        md.append(row("cores", Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")"));
        md.append(row("memory", memory()));
        md.append(row("JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")));
        md.append(row("OS", osName() + ", Linux " + System.getProperty("os.version")));
        md.append("\n## Command\n\n```sh\n").append(command).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, """
                - From launching the platform process to every service healthy and the gateway ready: **%.1f s** \
                (Keycloak included); from typing the command (incremental Maven build, wrk already unpacked) to \
                ready: %.1f s.
                - Synthetic data: %d people registered through the gateway, each with a housing situation, a benefit \
                claim, a custody-release referral, a consent to share with the treatment agencies and a consent for \
                purpose REFERRAL (6 writes per person) in %.1f s; a shared record is %d bytes of JSON.
                - Whole run after the platform was ready: %.0f s (%s).
                - Durations: warm-up %d s of load before anything is measured; %d s per HTTP scenario; JMH %d s warm-up + \
                %d s measured per part.

                """, (readyMillis - launchMillis) / 1000.0, (readyMillis - commandMillis) / 1000.0, plan.people(), seedSeconds, sharedRecordBytes, totalSeconds,
                plan.quick() ? "quick" : "full", plan.warmupSeconds(), plan.seconds(), plan.jmhWarmup(), plan.jmhSeconds()));

        md.append("## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        targets(md);

        md.append("\n## Scenarios\n\nLatencies in ms. CPU in % of one core (200% = both cores), RSS in MiB at the end of the "
                + "scenario; platform / Keycloak / load generator.\n\n");
        md.append("| scenario | tool | load | requests | req/s | p50 | p99 | p99.9 | errors | CPU % | RSS MiB |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Measurement m : new Measurement[]{s1Saturation, s1Open, s1Direct, s1Mongo, s2Search, s3Create, s3Accept, s4Policy,
                s4Grpc, s5Append}) {
            if (m != null) {
                md.append(scenarioRow(m));
            }
        }
        md.append("""

                - **S1** reads `GET /v1/people/{p}/sharedRecord` with the tokens of two treatment agencies the person \
                consented to (minted before the run; the token endpoint is not in the hot path). The gateway composes it \
                from five services (person, housing, claims, referrals, consents), each of which asks the consent service. \
                *Direct gRPC* makes the same five calls straight to the services with the same token; *raw MongoDB* reads \
                the same documents by the same keys, no policy.
                - wrk is closed-loop (a connection sends its next request only after the answer), so its latencies \
                understate what a user would see under overload (coordinated omission); it measures saturation. The \
                open-loop row is Gatling injecting new requests at a constant arrival rate whatever the answers do.
                - JMH rows are SampleTime runs in the load-generator JVM (no fork); their req/s is threads / mean \
                latency (closed loop, no think time). Failed calls (gRPC status, deadline) are counted as errors and \
                their time is in the percentiles, as wrk and Gatling count non-2xx answers (for JMH rows "requests" is \
                the number of timed samples and "errors" the failed calls among all calls); S4 in-process and S5 append \
                cannot fail that way (an exception there ends the part: the row then says failed).
                - **S3**: Gatling users each create a custody-release referral (prison → treatment, with its pathway \
                data and an idempotency key) then accept it as the treatment agency with the etag from the create; \
                every seeded person consented to share referrals with that agency for purpose REFERRAL (without it \
                the accept is refused), recorded while seeding, before the run.
                - **S4 gRPC**: Decide on the consent service (token check, one read, policy, one audit entry).
                - **S5 append**: the consent service's `MongoAuditTrail` appending one event per call from 32 threads into \
                its own database on the platform's Mongo server; concurrent calls are batched into one insertMany (group \
                commit).

                """);

        if (!statuses.isEmpty()) {
            md.append("Gateway answers by HTTP status during each gateway scenario (its own `http_server_requests` "
                    + "metric, scraped before and after; so the errors above have names):\n\n");
            statuses.forEach((scenario, byStatus) -> md.append("- ").append(scenario).append(": ")
                    .append(byStatus.isEmpty() ? "none recorded" : String.join(", ", byStatus.entrySet().stream()
                            .map(e -> String.format(Locale.ROOT, "%s × %,d", e.getKey(), e.getValue())).toList())).append('\n'));
            md.append('\n');
        }
        ratios(md);
        withdrawal(md);
        verification(md);
        footprint(md);
        profile(md);
        s2Scale(md);
        md.append(resource("/report/component-benchmarks.md"));
        return md.toString();
    }

    // ---------------------------------------------------------------- sections

    /**
     * S2 at 10k/100k/1M people: PeopleDirectoryBenchmark (services/people-directory) writes
     * docs/bench/s2-people-scale.md; bin/bench runs it in full mode (unless --skip-s2-scale) before
     * starting the platform, and its file is embedded here as it is.
     */
    private void s2Scale(StringBuilder md) {
        md.append("## S2 — person search and registration at scale\n\n");
        String status = System.getenv().getOrDefault("BENCH_S2_SCALE", "not run");
        String file = System.getenv().getOrDefault("BENCH_S2_SCALE_FILE", "");
        md.append(switch (status) {
            case "ran" -> "Run by this `bin/bench` before the platform started (`PeopleDirectoryBenchmark`, the directory "
                    + "in-process against the embedded Mongo server, 10k/100k/1M generated people); its report, "
                    + "[bench/s2-people-scale.md](bench/s2-people-scale.md), follows as written.";
            case "failed" -> "`bin/bench` ran `PeopleDirectoryBenchmark` and it **failed** (see its Maven output above "
                    + "the bench log); what follows, if anything, is the file an earlier run left.";
            case "skipped" -> "Not re-run (`--skip-s2-scale`); what follows is the file an earlier run left.";
            case "quick" -> "Not re-run in quick mode (it takes minutes at 1M people); what follows is the file an earlier "
                    + "run left.";
            default -> "Not run by this harness.";
        }).append(" The S2 row above is SearchPeople through the gateway at the ").append(plan.people())
                .append(" people this run seeded — labelled with that size, not a figure for 1M.\n\n");
        Path scale = file.isBlank() ? null : Path.of(file);
        if (scale == null || !Files.isRegularFile(scale)) {
            md.append("**docs/bench/s2-people-scale.md is missing**: no S2 figures at 10k/100k/1M people.\n\n");
            return;
        }
        try {
            // its headings one level down, so they sit under this section
            Files.readAllLines(scale).forEach(l -> md.append(l.startsWith("#") ? "#" + l : l).append('\n'));
            md.append('\n');
        } catch (IOException e) {
            md.append("docs/bench/s2-people-scale.md could not be read: ").append(e.getMessage()).append("\n\n");
        }
    }

    private void targets(StringBuilder md) {
        if (s1Saturation != null && s1Saturation.ok()) {
            md.append(target("S1 ≥ 1,500 req/s at saturation (successful answers only)", fmt(goodput(s1Saturation))
                    + " req/s answered 200 (" + fmt(s1Saturation.perSecond()) + " req/s in all, " + s1Saturation.errors()
                    + " errors)", atLeast(goodput(s1Saturation), 1500)));
        }
        if (s1Open != null && s1Open.ok()) {
            String v = s1Open.errors() == 0 ? atMost(s1Open.p99(), 25) : "missed: " + s1Open.errors() + " errors; "
                    + atMost(s1Open.p99(), 25);
            md.append(target("S1 p99 ≤ 25 ms with 0 errors at half the saturation rate (" + s1OpenRate + "/s, open loop)",
                    "p99 " + ms(s1Open.p99()) + ", " + s1Open.errors() + " errors", v));
        } else if (s1Open != null) {
            md.append(target("S1 p99 ≤ 25 ms at half saturation", "not measured", "failed: " + s1Open.failure()));
        }
        if (ok(s1Saturation) && ok(s1Direct)) {
            double ratio = s1Direct.perSecond() / s1Saturation.perSecond();
            String verdict = s1Direct.errors() + s1Saturation.errors() > 0
                    ? "not judged: errors in the run (" + s1Saturation.errors() + " via gateway, " + s1Direct.errors()
                    + " direct) make the rates incomparable" : atMost(ratio, 2.0);
            md.append(target("gateway + policy overhead ≤ 2× the direct gRPC read",
                    String.format(Locale.ROOT, "%.2f× (direct %s/s vs gateway %s/s at %d in flight)", ratio,
                            fmt(s1Direct.perSecond()), fmt(s1Saturation.perSecond()), plan.connections()), verdict));
        }
        if (ok(s3Create)) {
            md.append(target("S3 ≥ 500 referral creates/s (successful, each then accepted)", fmt(goodput(s3Create))
                    + " creates/s answered 200 (" + s3Create.errors() + " failed creates, " + (s3Accept == null ? "?"
                    : s3Accept.errors()) + " failed accepts)", atLeast(goodput(s3Create), 500)));
        } else if (s3Create != null) {
            md.append(target("S3 ≥ 500 creates/s", "not measured", "failed: " + s3Create.failure()));
        }
        if (ok(s4Policy)) {
            md.append(target("S4 ≤ 0.2 ms p50 in-process", String.format(Locale.ROOT, "%.2f µs", s4Policy.p50() * 1000),
                    atMost(s4Policy.p50(), 0.2)));
        }
        if (s4Withdrawal != null) {
            md.append(target("S4 withdrawal honoured on the next request",
                    s4Withdrawal.deniedOnNextRequest() + " of " + s4Withdrawal.runs() + " next reads denied",
                    s4Withdrawal.deniedOnNextRequest() == s4Withdrawal.runs() ? "met"
                            : "missed: " + (s4Withdrawal.runs() - s4Withdrawal.deniedOnNextRequest()) + " read(s) still allowed"));
        }
        if (ok(s5Append)) {
            md.append(target("S5 ≥ 10,000 audit appends/s (batched)", fmt(s5Append.perSecond()) + " appends/s",
                    atLeast(s5Append.perSecond(), 10_000)));
        }
        Verification best = s5VerifyLocal.stream().filter(Verification::intact)
                .max((a, b) -> Double.compare(a.perSecond(), b.perSecond())).orElse(null);
        if (best != null) {
            md.append(target("S5 ≥ 200,000 audit entries/s verified", fmt(best.perSecond()) + " entries/s ("
                    + fmt(best.entries()) + " entries, best of " + s5VerifyLocal.size() + ")", atLeast(best.perSecond(), 200_000)));
        }
        md.append(target("S2 p95 ≤ 20 ms at 1M people", "see the S2 section (bench/s2-people-scale.md)",
                "measured by PeopleDirectoryBenchmark, not by a gateway run"));
    }

    private void ratios(StringBuilder md) {
        if (!ok(s1Saturation) || !ok(s1Direct) || !ok(s1Mongo)) {
            return;
        }
        md.append("## S1 — where the time goes (same run, same ").append(plan.connections()).append(" in flight)\n\n");
        md.append("| layer | req/s | p50 ms | raw MongoDB req/s ÷ this | direct gRPC req/s ÷ this |\n|---|---|---|---|---|\n");
        for (Measurement m : List.of(s1Mongo, s1Direct, s1Saturation)) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f× | %.2f× |%n", m.scenario(),
                    fmt(m.perSecond()), ms(m.p50()), s1Mongo.perSecond() / m.perSecond(),
                    s1Direct.perSecond() / m.perSecond()));
        }
        md.append("\nThe gateway row includes HTTP/JSON, the token check at the edge, route matching and transcoding, the "
                + "composer's five calls and the JSON answer; the direct row includes gRPC, each service's token check and "
                + "consent decision (its own call to the consent service) and its Mongo reads.\n\n");
    }

    private void withdrawal(StringBuilder md) {
        if (s4Withdrawal == null) {
            return;
        }
        md.append(String.format(Locale.ROOT, """
                ## S4 — from a withdrawal to the first denied read

                %d times: a prison records a consent for a treatment agency, the agency reads the shared record (200), \
                the prison withdraws the consent, and the agency reads again at once. The very next read was denied \
                (404, as if the person did not exist) **%d of %d** times; from the withdrawal's answer to the denied \
                read's answer: median %s, worst %s (that is one read's latency: the withdrawal has no propagation delay, \
                every read asks the consent service).

                """, s4Withdrawal.runs(), s4Withdrawal.deniedOnNextRequest(), s4Withdrawal.runs(),
                ms(s4Withdrawal.medianMillis()), ms(s4Withdrawal.worstMillis())));
    }

    private void verification(StringBuilder md) {
        List<Verification> all = new ArrayList<>(s5VerifyLocal);
        all.addAll(s5VerifyPlatform);
        if (all.isEmpty()) {
            return;
        }
        md.append("## S5 — audit chain verification\n\n| what | intact | entries | seconds | entries/s |\n|---|---|---|---|---|\n");
        for (Verification v : all) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %s |%n", v.what(),
                    !v.answered() ? "not verified" : v.intact() ? "yes" : "**NO**",
                    v.answered() ? fmt(v.entries()) : "n/a", v.seconds(), v.answered() ? fmt(v.perSecond()) : "n/a"));
        }
        md.append("\nThe bench trail is the one the append run wrote (so it also proves the group-committed chain intact); "
                + "the platform trail holds one entry per consent decision the run caused. Verification walks the chain in "
                + "sequence order, recomputing every hash. \"not verified\" means no verdict came back (e.g. the call "
                + "timed out): it says nothing about the chain either way.\n\n");
    }

    private void footprint(StringBuilder md) {
        if (s1Saturation == null || !s1Saturation.ok()) {
            return;
        }
        md.append("## Local stack footprint\n\n| process | RSS idle MiB | CPU idle % | RSS under S1 MiB (peak) | CPU under S1 % |\n"
                + "|---|---|---|---|---|\n");
        for (String p : List.of("platform JVM", "Keycloak", "load generator")) {
            ProcessSampler.Usage i = idle.get(p);
            ProcessSampler.Usage s = s1Saturation.usage().get(p);
            if (i != null && s != null) {
                md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f (%.0f) | %.0f |%n", p, i.rssMiB(), i.cpuPercent(),
                        s.rssMiB(), s.peakRssMiB(), s.cpuPercent()));
            }
        }
        md.append(String.format(Locale.ROOT, "%nTime from the run command's platform launch to ready: %.1f s. The load "
                + "generator under S1 is this driver's JVM plus wrk.%n%n", (readyMillis - launchMillis) / 1000.0));
    }

    private void profile(StringBuilder md) {
        if (s1Profile == null) {
            return;
        }
        md.append("## S1 profile (JFR, platform JVM, during the saturation run)\n\n");
        if (s1Profile.failure() != null) {
            md.append("No profile: ").append(s1Profile.failure()).append("\n\n");
            return;
        }
        if (s1Saturation != null && s1Saturation.ok() && goodput(s1Saturation) > 0) {
            ProcessSampler.Usage platformCpu = s1Saturation.usage().get("platform JVM");
            if (platformCpu != null) {
                md.append(String.format(Locale.ROOT, "Platform JVM CPU per answered shared record: **%.1f ms** (%.0f%% of one "
                        + "core at %.1f answers/s). ", 10 * platformCpu.cpuPercent() / goodput(s1Saturation),
                        platformCpu.cpuPercent(), goodput(s1Saturation)));
            }
        }
        if (s1Flame != null) {
            md.append("Flame graph of the same recording: [").append(s1Flame).append("](").append(s1Flame)
                    .append(") (async-profiler's jfr-converter; open it in a browser, click to zoom, Ctrl-F to search).\n\n");
        } else if (s1FlameFailure != null) {
            md.append("No flame graph: ").append(s1FlameFailure).append("\n\n");
        }
        md.append("Share of CPU samples (").append(fmt(s1Profile.areas().getOrDefault("samples", 0.0)))
                .append(" samples). *Through*: the sample's stack passes through the part (a sample counts in every part "
                        + "on its stack, so an observation or a security filter wrapping a whole call \"contains\" the call). "
                        + "*Self*: the part's own code is running (each sample counted once, for the innermost frame outside "
                        + "the JDK):\n\n");
        md.append("| part | through | self |\n|---|---|---|\n");
        s1Profile.areas().forEach((k, v) -> {
            if (!k.equals("samples")) {
                md.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.1f%% |%n", k, 100 * v,
                        100 * s1Profile.self().getOrDefault(k, 0.0)));
            }
        });
        if (s1Profile.self().containsKey(Jfr.OTHER)) {
            md.append(String.format(Locale.ROOT, "| %s | | %.1f%% |%n", Jfr.OTHER, 100 * s1Profile.self().get(Jfr.OTHER)));
        }
        md.append("\nTop frames (`jfr view hot-methods`); the full view is in [bench/s1-hot-methods.txt]"
                + "(bench/s1-hot-methods.txt):\n\n```\n");
        s1Profile.hotMethods().lines().limit(30).forEach(l -> md.append(l).append('\n'));
        md.append("```\n\n");
    }

    // ---------------------------------------------------------------- formatting

    /** Successful answers per second: a fast error is not throughput. */
    static double goodput(Measurement m) {
        return m.requests() == 0 ? 0 : m.perSecond() * (m.requests() - m.errors()) / m.requests();
    }

    private static boolean ok(Measurement m) {
        return m != null && m.ok();
    }

    private static String scenarioRow(Measurement m) {
        if (!m.ok()) {
            return "| " + m.scenario() + " | " + m.tool() + " | " + m.load() + " | failed: "
                    + m.failure().replace('|', '/').replace('\n', ' ') + " | | | | | | | |\n";
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d | %s | %s |%n", m.scenario(), m.tool(),
                m.load(), fmt(m.requests()), fmt(m.perSecond()), ms(m.p50()), ms(m.p99()), ms(m.p999()), m.errors(),
                usage(m.usage(), true), usage(m.usage(), false));
    }

    private static String usage(Map<String, ProcessSampler.Usage> u, boolean cpu) {
        if (u.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String p : List.of("platform JVM", "Keycloak", "load generator")) {
            ProcessSampler.Usage x = u.get(p);
            parts.add(x == null ? "?" : String.format(Locale.ROOT, "%.0f", cpu ? x.cpuPercent() : x.rssMiB()));
        }
        return String.join(" / ", parts);
    }

    private static String row(String k, String v) {
        return "| " + k + " | " + v + " |\n";
    }

    private static String target(String what, String measured, String verdict) {
        return "| " + what + " | " + measured + " | " + verdict + " |\n";
    }

    static String atLeast(double measured, double target) {
        return measured >= target ? String.format(Locale.ROOT, "met (+%.0f%%)", 100 * (measured / target - 1))
                : String.format(Locale.ROOT, "**missed** by %.0f%% (%s short)", 100 * (1 - measured / target), fmt(target - measured));
    }

    static String atMost(double measured, double target) {
        return measured <= target ? String.format(Locale.ROOT, "met (%.0f%% of the limit)", 100 * measured / target)
                : String.format(Locale.ROOT, "**missed** by %.0f%% (%.2f over)", 100 * (measured / target - 1), measured - target);
    }

    static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * Other work competed for the CPU: while the scenarios ran, other processes used more than a quarter
     * of one core on average. Only when that was not measured does the 1-minute load average before
     * bin/bench's own build decide (at or above the core count): it trails by minutes — work that ended
     * just before the command, and the build and S2 phase that run before the scenarios, still show in it.
     * (The load average during the run is no guide: the benchmark itself keeps every core busy.)
     */
    static boolean contended(String loadBeforeBuild, ProcessSampler.Usage others) {
        double cores = Runtime.getRuntime().availableProcessors();
        boolean busyBefore;
        try {
            busyBefore = Double.parseDouble(loadBeforeBuild.split(" / ")[0]) >= cores;
        } catch (NumberFormatException e) {
            busyBefore = false;
        }
        return others != null ? others.cpuPercent() > 25 : busyBefore;
    }

    private String contention(ProcessSampler.Usage others) {
        return "Before `bin/bench` started its build the 1-minute load average was " + loadBeforeBuild.split(" / ")[0]
                + (others == null ? "" : String.format(Locale.ROOT, ", and while the scenarios ran other processes used "
                        + "%.0f%% of one core on average", others.cpuPercent()))
                + ", on " + Runtime.getRuntime().availableProcessors() + " cores: other work was competing for the CPU.";
    }

    private static String loadAverage() {
        try {
            return loadAverageOf(Files.readString(Path.of("/proc/loadavg")));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** "1 / 5 / 15" from the text of /proc/loadavg. */
    static String loadAverageOf(String procLoadavg) {
        String[] f = procLoadavg.trim().split("\\s+");
        return f.length >= 3 ? f[0] + " / " + f[1] + " / " + f[2] : "unknown";
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown model");
        } catch (IOException e) {
            return "unknown model";
        }
    }

    private static String memory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String osName() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).findFirst().orElse("Linux");
        } catch (IOException e) {
            return "Linux";
        }
    }

    private static String resource(String name) {
        try (InputStream in = Report.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

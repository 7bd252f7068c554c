package bridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU and resident memory of the benchmark's processes, read from {@code /proc} four times a second.
 * Three groups: the platform JVM, Keycloak (every descendant of the platform JVM: its launcher
 * script and its JVM) and the load generator (this JVM and whatever it spawned: wrk, Gatling).
 * A process that exits during a window (wrk) still counts with the CPU it had last been seen using.
 */
final class ProcessSampler implements AutoCloseable {

    /** What one group used over a window: CPU in % of one core (200% = both cores), RSS in MiB. */
    record Usage(double cpuPercent, double rssMiB, double peakRssMiB) {
    }

    /** A named set of processes, found again at every sample (children come and go). */
    record Group(String name, Supplier<Stream<ProcessHandle>> processes) {
    }

    private static final long TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux we run on

    private final List<Group> groups;
    private final Thread thread;
    private volatile boolean running = true;
    /** Latest CPU ticks per group per pid, and the group's RSS at the last sample. */
    private final Map<String, Map<Long, Long>> ticks = new ConcurrentHashMap<>();
    private final Map<String, Long> rssKiB = new ConcurrentHashMap<>();
    private final Map<String, Long> peakKiB = new ConcurrentHashMap<>();
    /** Busy CPU ticks of the whole machine (all cores), at the last sample. */
    private volatile long machineBusy;

    /** The pseudo-group in every window: the machine's CPU use minus the groups' (other builds, the desktop, ...). */
    static final String OTHERS = "other processes";

    ProcessSampler(List<Group> groups) {
        this.groups = groups;
        groups.forEach(g -> ticks.put(g.name(), new ConcurrentHashMap<>()));
        sample();
        thread = Thread.ofPlatform().daemon().name("process-sampler").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts a window; {@link Window#end()} tells what each group used in it. */
    Window begin() {
        sample();
        Map<String, Map<Long, Long>> start = new LinkedHashMap<>();
        ticks.forEach((g, m) -> start.put(g, Map.copyOf(m)));
        peakKiB.replaceAll((g, v) -> rssKiB.getOrDefault(g, 0L));
        return new Window(start, machineBusy, System.nanoTime());
    }

    final class Window {
        private final Map<String, Map<Long, Long>> start;
        private final long machineAtStart;
        private final long t0;

        private Window(Map<String, Map<Long, Long>> start, long machineAtStart, long t0) {
            this.start = start;
            this.machineAtStart = machineAtStart;
            this.t0 = t0;
        }

        Map<String, Usage> end() {
            sample();
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Usage> out = new LinkedHashMap<>();
            for (Group g : groups) {
                Map<Long, Long> before = start.getOrDefault(g.name(), Map.of());
                long used = 0;
                for (Map.Entry<Long, Long> e : ticks.get(g.name()).entrySet()) {
                    used += e.getValue() - before.getOrDefault(e.getKey(), 0L);
                }
                double cpu = 100.0 * used / TICKS_PER_SECOND / seconds;
                out.put(g.name(), new Usage(cpu, rssKiB.getOrDefault(g.name(), 0L) / 1024.0,
                        peakKiB.getOrDefault(g.name(), 0L) / 1024.0));
            }
            if (machineAtStart > 0 && machineBusy > 0) {
                double machine = 100.0 * (machineBusy - machineAtStart) / TICKS_PER_SECOND / seconds;
                double benchmarkProcesses = out.values().stream().mapToDouble(Usage::cpuPercent).sum();
                out.put(OTHERS, new Usage(Math.max(0, machine - benchmarkProcesses), 0, 0));
            }
            return out;
        }
    }

    private synchronized void sample() {
        machineBusy = machineBusyTicks();
        for (Group g : groups) {
            long rss = 0;
            Map<Long, Long> t = ticks.get(g.name());
            for (ProcessHandle p : (Iterable<ProcessHandle>) g.processes().get()::iterator) {
                long[] s = read(p.pid());
                if (s != null) {
                    t.put(p.pid(), s[0]);
                    rss += s[1];
                }
            }
            rssKiB.put(g.name(), rss);
            peakKiB.merge(g.name(), rss, Math::max);
        }
    }

    /** user+nice+system+irq+softirq+steal ticks of all cores (/proc/stat), or 0 if unreadable. */
    private static long machineBusyTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = cpu.trim().split("\\s+");
            long busy = 0;
            for (int i : new int[]{1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {utime+stime ticks, RSS KiB} of a live process, or null if it is gone. */
    private static long[] read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long cpu = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new long[]{cpu, rss};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

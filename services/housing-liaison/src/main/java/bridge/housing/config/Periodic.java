package bridge.housing.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A task on one daemon thread every interval (none when the interval is zero); failures logged, never fatal. */
final class Periodic implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Periodic.class);
    private final ScheduledExecutorService scheduler;

    Periodic(String name, Duration interval, Runnable task) {
        if (interval.isZero()) {
            scheduler = null;
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; trying again in {}", name, interval, e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

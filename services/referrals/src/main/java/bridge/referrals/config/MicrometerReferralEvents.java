package bridge.referrals.config;

import bridge.referrals.domain.HistoryEntry;
import bridge.referrals.domain.Referral;
import bridge.referrals.domain.ReferralEvents;
import bridge.referrals.domain.ReferralMetrics;
import bridge.referrals.domain.Referrals;
import bridge.referrals.domain.Transition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The referral measures as Micrometer metrics, aggregate only (tags: pathway, receiving agency,
 * outcome, reason; never a person or a referral):
 * <ul>
 * <li>{@code bridge.referrals.sent} counter</li>
 * <li>{@code bridge.referrals.decided} counter, outcome accepted|rejected, reason (rejections)</li>
 * <li>{@code bridge.referrals.first.appointment} timer with percentile histogram: sending to first attended appointment</li>
 * <li>{@code bridge.referrals.picked.up} counter (custody release)</li>
 * <li>{@code bridge.referrals.pick.up.rate} and {@code bridge.referrals.acceptance.rate} gauges per pathway
 *     and agency over the last 12 months, recomputed every {@link #REFRESH} (eligibility changes as
 *     time passes, not only on events)</li>
 * </ul>
 */
final class MicrometerReferralEvents implements ReferralEvents, AutoCloseable {

    static final Duration REFRESH = Duration.ofMinutes(5);
    private static final System.Logger log = System.getLogger(MicrometerReferralEvents.class.getName());

    private final MeterRegistry meters;
    private final MultiGauge pickUpRate;
    private final MultiGauge acceptanceRate;
    private ScheduledExecutorService refresher;

    MicrometerReferralEvents(MeterRegistry meters) {
        this.meters = meters;
        this.pickUpRate = MultiGauge.builder("bridge.referrals.pick.up.rate")
                .description("custody release referrals picked up within 21 days of release / eligible, last 12 months")
                .register(meters);
        this.acceptanceRate = MultiGauge.builder("bridge.referrals.acceptance.rate")
                .description("accepted / (accepted + rejected), last 12 months").register(meters);
    }

    @Override
    public void sent(Referral r) {
        meters.counter("bridge.referrals.sent", tags(r)).increment();
    }

    @Override
    public void moved(Referral after, HistoryEntry e) {
        if (e.transition() == Transition.ACCEPT) {
            meters.counter("bridge.referrals.decided", tags(after).and("outcome", "accepted", "reason", "")).increment();
        } else if (e.transition() == Transition.REJECT) {
            meters.counter("bridge.referrals.decided", tags(after).and("outcome", "rejected", "reason",
                    e.reason().code().name())).increment();
        }
    }

    @Override
    public void appointmentRecorded(Referral before, Referral after) {
        if (before.engagement().firstAttended().isEmpty()) {
            after.engagement().firstAttended().ifPresent(a -> Timer.builder("bridge.referrals.first.appointment")
                    .description("from sending a referral to the first attended appointment")
                    .tags(tags(after)).publishPercentileHistogram().register(meters)
                    .record(Duration.between(after.createdAt(), a.start())));
        }
        if (!before.pickedUp() && after.pickedUp()) {
            meters.counter("bridge.referrals.picked.up", tags(after)).increment();
        }
    }

    /** Recomputes the rate gauges now, over the 12 months up to this one. */
    void refresh(Referrals referrals, Clock clock) {
        YearMonth now = YearMonth.now(clock.withZone(java.time.ZoneId.of("Europe/London")));
        List<ReferralMetrics.Row> rows = referrals.metrics(now.minusMonths(11), now, null, null);
        Map<Tags, int[]> pick = new HashMap<>();
        Map<Tags, int[]> decided = new HashMap<>();
        for (ReferralMetrics.Row r : rows) {
            Tags t = Tags.of("pathway", r.key().pathway().name(), "agency", r.key().agency());
            int[] p = pick.computeIfAbsent(t, k -> new int[2]);
            p[0] += r.pickedUp();
            p[1] += r.pickUpEligible();
            int[] d = decided.computeIfAbsent(t, k -> new int[2]);
            d[0] += r.accepted();
            d[1] += r.accepted() + r.rejected();
        }
        pickUpRate.register(rows(pick), true);
        acceptanceRate.register(rows(decided), true);
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, int[]> ratios) {
        List<MultiGauge.Row<?>> out = new ArrayList<>();
        ratios.forEach((t, v) -> {
            if (v[1] > 0) {
                out.add(MultiGauge.Row.of(t, (double) v[0] / v[1]));
            }
        });
        return out;
    }

    void start(Referrals referrals, Clock clock) {
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "referral-metrics");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh(referrals, clock);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "referral rate gauges not refreshed", e);
            }
        }, 0, REFRESH.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    private static Tags tags(Referral r) {
        return Tags.of("pathway", r.pathway().name(), "agency", r.performerAgency());
    }
}

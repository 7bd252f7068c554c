package bridge.referrals.domain;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Aggregate referral measures for commissioners, by pathway, receiving agency and the month the
 * referral was sent (UK calendar). Counts and rates only: no person, no referral id.
 *
 * <p>Definitions (chosen here, where the issue was silent):
 * <ul>
 * <li>decided = accepted + rejected; acceptance rate = accepted / decided; rejection rate of a reason
 *     = rejected with that reason / decided (a referral accepted and later failed still counts as accepted).</li>
 * <li>time to first appointment = first attended appointment's start - sending time, for referrals with one;
 *     median and 90th percentile by nearest rank (the value at rank ceil(p * n) of the sorted times).</li>
 * <li>pick-up (custody release only): eligible = not cancelled, and either picked up or the 21-day
 *     window after release has closed before {@code today}; rate = picked up / eligible (national target 75%).</li>
 * </ul>
 */
public final class ReferralMetrics {

    /** The national target for the custody-release pick-up rate. */
    public static final double PICK_UP_TARGET = 0.75;

    private ReferralMetrics() {
    }

    public record Key(Pathway pathway, String agency, YearMonth month) {
    }

    /**
     * One cell of the table.
     *
     * @param rejectedByReason counts per reason code, only reasons that occurred
     * @param medianToFirstAppointment empty when no referral of the cell has an attended appointment
     * @param pickUpRate empty for other pathways and when nothing is eligible yet
     */
    public record Row(Key key, int sent, int accepted, int rejected, Map<StatusReasonCode, Integer> rejectedByReason,
                      int withFirstAppointment, Optional<Duration> medianToFirstAppointment,
                      Optional<Duration> p90ToFirstAppointment, int pickUpEligible, int pickedUp) {

        public Optional<Double> acceptanceRate() {
            int decided = accepted + rejected;
            return decided == 0 ? Optional.empty() : Optional.of((double) accepted / decided);
        }

        public Optional<Double> rejectionRate(StatusReasonCode reason) {
            int decided = accepted + rejected;
            return decided == 0 ? Optional.empty() : Optional.of((double) rejectedByReason.getOrDefault(reason, 0) / decided);
        }

        public Optional<Double> pickUpRate() {
            return pickUpEligible == 0 ? Optional.empty() : Optional.of((double) pickedUp / pickUpEligible);
        }
    }

    /** The rows for these referrals, ordered by month, pathway, agency. */
    public static List<Row> compute(List<Referral> referrals, LocalDate today) {
        Map<Key, List<Referral>> cells = new TreeMap<>(Comparator.comparing(Key::month).thenComparing(Key::pathway)
                .thenComparing(Key::agency));
        for (Referral r : referrals) {
            Key k = new Key(r.pathway(), r.performerAgency(), YearMonth.from(r.createdAt().atZone(TimerPolicy.ZONE)));
            cells.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        List<Row> out = new ArrayList<>();
        cells.forEach((k, rs) -> out.add(row(k, rs, today)));
        return out;
    }

    static Row row(Key k, List<Referral> rs, LocalDate today) {
        int accepted = 0;
        int rejected = 0;
        Map<StatusReasonCode, Integer> byReason = new EnumMap<>(StatusReasonCode.class);
        List<Duration> toFirst = new ArrayList<>();
        int eligible = 0;
        int pickedUp = 0;
        for (Referral r : rs) {
            for (HistoryEntry e : r.history()) {
                if (e.transition() == Transition.ACCEPT) {
                    accepted++;
                } else if (e.transition() == Transition.REJECT) {
                    rejected++;
                    byReason.merge(e.reason().code(), 1, Integer::sum);
                }
            }
            r.engagement().firstAttended().ifPresent(a -> toFirst.add(Duration.between(r.createdAt(), a.start())));
            if (r.details() instanceof PathwayDetails.CustodyRelease c && r.status() != ReferralStatus.CANCELLED) {
                boolean picked = r.pickedUp();
                boolean windowClosed = today.isAfter(c.releaseDate().plusDays(Engagement.PICK_UP_DAYS));
                if (picked || windowClosed) {
                    eligible++;
                    pickedUp += picked ? 1 : 0;
                }
            }
        }
        toFirst.sort(Comparator.naturalOrder());
        return new Row(k, rs.size(), accepted, rejected, byReason, toFirst.size(), nearestRank(toFirst, 0.5),
                nearestRank(toFirst, 0.9), eligible, pickedUp);
    }

    /** The value at rank ceil(p * n) (1-based) of sorted values. */
    static Optional<Duration> nearestRank(List<Duration> sorted, double p) {
        if (sorted.isEmpty()) {
            return Optional.empty();
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return Optional.of(sorted.get(Math.max(rank, 1) - 1));
    }
}

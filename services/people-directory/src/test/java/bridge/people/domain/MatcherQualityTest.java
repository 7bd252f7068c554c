package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the matcher (blocking + scoring, as the search runs them) at the default
 * threshold, on the labelled synthetic set. Printed on every run; asserted against the issue's
 * targets (precision >= 0.99, recall >= 0.95).
 */
class MatcherQualityTest {

    @Test
    void precisionAndRecallAtTheDefaultThreshold() {
        SyntheticPeople.Set set = new SyntheticPeople(Long.getLong("matcher.seed", 20261123L)).generate(5_000, 2_000, 500);
        Map<String, List<Person>> byKey = new HashMap<>();
        for (Person p : set.directory()) {
            for (String k : PersonMatcher.blockingKeys(p)) {
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
            }
        }
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int fnWithoutDob = 0;
        long blocked = 0;
        long read = 0;
        List<String> misses = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (SyntheticPeople.Labelled l : set.queries()) {
            Set<Person> block = new HashSet<>();
            for (String k : PersonMatcher.queryKeys(l.query())) {
                block.addAll(byKey.getOrDefault(k, List.of()));
            }
            boolean found = false;
            int before = block.size();
            // as the repository does: drop whom the date of birth rules out before reading them
            block.removeIf(p -> !PersonMatcher.mayReachThreshold(l.query(), p.dateOfBirth(), true));
            blocked += before;
            read += block.size();
            for (Person p : block) {
                PersonMatcher.Match m = PersonMatcher.score(l.query(), p, true);
                if (m.score() >= PersonMatcher.DEFAULT_THRESHOLD) {
                    if (p.id().equals(l.expectedId())) {
                        found = true;
                        tp++;
                    } else {
                        fp++;
                        if (wrong.size() < 15) {
                            wrong.add(l.query() + " [" + l.noise() + "] -> " + p.preferredName() + " " + p.otherNames()
                                    + " " + p.dateOfBirth() + " " + m);
                        }
                    }
                }
            }
            if (l.expectedId() != null && !found) {
                fn++;
                Person meant = set.directory().stream().filter(p -> p.id().equals(l.expectedId())).findFirst().orElseThrow();
                if (l.query().dateOfBirth() == null || meant.dateOfBirth() == null) {
                    fnWithoutDob++;
                } else if (misses.size() < 30) {
                    misses.add(l.query() + " [" + l.noise() + "] meant " + meant.preferredName() + " "
                            + meant.otherNames() + " " + meant.dateOfBirth() + " " + PersonMatcher.score(l.query(), meant, true));
                }
            }
        }
        double precision = tp + fp == 0 ? 1.0 : tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        System.out.printf("matcher quality at threshold %.2f: precision=%.4f recall=%.4f (tp=%d fp=%d fn=%d)%n",
                PersonMatcher.DEFAULT_THRESHOLD, precision, recall, tp, fp, fn);
        System.out.printf("  of the %d misses, %d had no date of birth on one side (a name alone is never enough)%n",
                fn, fnWithoutDob);
        System.out.printf("  candidates per query: %.1f under the keys, %.1f left after the date-of-birth bound%n",
                blocked / (double) set.queries().size(), read / (double) set.queries().size());
        misses.forEach(m -> System.out.println("  missed: " + m));
        wrong.forEach(w -> System.out.println("  false match: " + w));
        assertThat(precision).as("precision").isGreaterThanOrEqualTo(0.99);
        assertThat(recall).as("recall").isGreaterThanOrEqualTo(0.95);
    }

    /**
     * The date-of-birth bound used to skip candidates before reading them never skips one that scores
     * at or above the threshold: every query of the labelled set against every person of the directory.
     */
    @Test
    void theDateOfBirthBoundNeverDropsAMatch() {
        SyntheticPeople.Set set = new SyntheticPeople(7L).generate(2_000, 300, 100);
        int matches = 0;
        int skipped = 0;
        for (SyntheticPeople.Labelled l : set.queries()) {
            for (Person p : set.directory()) {
                for (boolean contact : new boolean[] {true, false}) {
                    boolean may = PersonMatcher.mayReachThreshold(l.query(), p.dateOfBirth(), contact);
                    double score = PersonMatcher.score(l.query(), p, contact).score();
                    if (score >= PersonMatcher.DEFAULT_THRESHOLD) {
                        matches++;
                        assertThat(may).as("%s against %s %s", l.query(), p.preferredName(), p.dateOfBirth()).isTrue();
                    } else if (!may) {
                        skipped++;
                    }
                }
            }
        }
        System.out.printf("date-of-birth bound: %d matches all kept, %d of %d pairs skipped%n", matches, skipped,
                set.queries().size() * set.directory().size() * 2);
        assertThat(matches).isGreaterThan(300);
        assertThat(skipped).isGreaterThan(set.queries().size() * set.directory().size());
    }
}

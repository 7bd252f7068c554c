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
        List<String> misses = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (SyntheticPeople.Labelled l : set.queries()) {
            Set<Person> block = new HashSet<>();
            for (String k : PersonMatcher.queryKeys(l.query())) {
                block.addAll(byKey.getOrDefault(k, List.of()));
            }
            boolean found = false;
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
        misses.forEach(m -> System.out.println("  missed: " + m));
        wrong.forEach(w -> System.out.println("  false match: " + w));
        assertThat(precision).as("precision").isGreaterThanOrEqualTo(0.99);
        assertThat(recall).as("recall").isGreaterThanOrEqualTo(0.95);
    }
}

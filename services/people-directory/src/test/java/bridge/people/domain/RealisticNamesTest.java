package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The realistic generator has the shape its documentation claims (docs/people-directory-scale.md). */
class RealisticNamesTest {

    @Test
    void familyNamesAreManyDistinctAndSkewed() {
        assertThat(RealisticNames.familyNames()).hasSize(RealisticNames.FAMILY_NAMES);
        assertThat(new HashSet<>(RealisticNames.familyNames().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList()))
                .hasSize(RealisticNames.FAMILY_NAMES);
        assertThat(RealisticNames.familyNames().subList(0, 3)).containsExactly("Smith", "Jones", "Williams");
        assertThat(RealisticNames.commonestFamilyShare()).isBetween(0.008, 0.013);

        Random random = new Random(1);
        Map<String, Integer> counts = new HashMap<>();
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(RealisticNames.family(random), 1, Integer::sum);
        }
        assertThat(counts.get("Smith") / (double) draws).isBetween(0.008, 0.013);
        java.util.Set<String> commonest = new HashSet<>(RealisticNames.familyNames().subList(0, 1_000));
        long outside = counts.entrySet().stream().filter(e -> !commonest.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        assertThat(outside / (double) draws).as("people outside the commonest 1,000 names").isBetween(0.4, 0.6);
    }

    @Test
    void theSameSeedMakesTheSamePeople() {
        SyntheticPeople a = new SyntheticPeople(5, SyntheticPeople.Names.REALISTIC);
        SyntheticPeople b = new SyntheticPeople(5, SyntheticPeople.Names.REALISTIC);
        for (int i = 0; i < 100; i++) {
            assertThat(a.newPerson("p" + i)).isEqualTo(b.newPerson("p" + i));
        }
    }
}

package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The names carried by a date-of-birth block's entries let the blocking step drop people before their
 * records are read; like the date bound (MatcherQualityTest), that must never drop a match.
 */
class IndexedBoundTest {

    static PersonMatcher.Indexed entryOf(Person p) {
        List<PersonName> names = new ArrayList<>();
        names.add(p.preferredName());
        names.addAll(p.otherNames());
        return new PersonMatcher.Indexed(p.dateOfBirth(), names);
    }

    @Test
    void theNamesCarriedInAnEntryNeverDropAMatch() {
        for (SyntheticPeople.Names names : SyntheticPeople.Names.values()) {
            SyntheticPeople.Set set = new SyntheticPeople(11L, names).generate(1_000, 150, 50);
            int matches = 0;
            int keptByDate = 0;
            int keptByNames = 0;
            for (SyntheticPeople.Labelled l : set.queries()) {
                for (Person p : set.directory()) {
                    for (boolean contact : new boolean[] {true, false}) {
                        boolean byNames = PersonMatcher.mayReachThreshold(l.query(), entryOf(p), contact);
                        boolean byDate = PersonMatcher.mayReachThreshold(l.query(), p.dateOfBirth(), contact);
                        if (PersonMatcher.score(l.query(), p, contact).score() >= PersonMatcher.DEFAULT_THRESHOLD) {
                            matches++;
                            assertThat(byNames).as("%s against %s %s %s", l.query(), p.preferredName(), p.otherNames(),
                                    p.dateOfBirth()).isTrue();
                        }
                        keptByDate += byDate ? 1 : 0;
                        keptByNames += byNames ? 1 : 0;
                        assertThat(!byNames || byDate).as("the names only ever drop more").isTrue();
                    }
                }
            }
            System.out.printf("%s names: %d matches all kept; the date alone keeps %d pairs, with the names %d%n",
                    names, matches, keptByDate, keptByNames);
            assertThat(matches).isGreaterThan(150);
            assertThat(keptByNames).as("the names drop most of what the date keeps").isLessThan(keptByDate / 4);
        }
    }

    @Test
    void anEntryWithoutNamesIsJudgedByItsDateAlone() {
        PersonMatcher.Query q = new PersonMatcher.Query("Tegwen", "Ashcroft", java.time.LocalDate.of(1983, 2, 9), null, null);
        PersonMatcher.Indexed sameDay = new PersonMatcher.Indexed(java.time.LocalDate.of(1983, 2, 9), List.of());
        PersonMatcher.Indexed otherDay = new PersonMatcher.Indexed(java.time.LocalDate.of(1990, 7, 21), List.of());
        assertThat(PersonMatcher.mayReachThreshold(q, sameDay, false)).isTrue();
        assertThat(PersonMatcher.mayReachThreshold(q, otherDay, false)).isFalse();
        PersonMatcher.Indexed someoneElse = new PersonMatcher.Indexed(java.time.LocalDate.of(1983, 2, 9),
                List.of(new PersonName("Bryn", "Pritchard")));
        assertThat(PersonMatcher.mayReachThreshold(q, someoneElse, false)).isFalse();
        PersonMatcher.Indexed her = new PersonMatcher.Indexed(java.time.LocalDate.of(1983, 2, 9),
                List.of(new PersonName("Bryn", "Pritchard"), new PersonName("Tegwen", "Ashcroft")));
        assertThat(PersonMatcher.mayReachThreshold(q, her, false)).as("by another name").isTrue();
    }

    @Test
    void aQueryWithTheNamesTheWrongWayRoundIsKept() {
        java.time.LocalDate born = java.time.LocalDate.of(1983, 2, 9);
        Person her = new Person("p1", List.of(), new PersonName("Tegwen", "Ashcroft"), List.of(), born, List.of(), List.of(),
                null, java.time.Instant.EPOCH, java.time.Instant.EPOCH, 1);
        for (PersonMatcher.Query q : List.of(new PersonMatcher.Query("Ashcroft", "Tegwen", born, null, null),
                new PersonMatcher.Query("Ashcroft", "Tegwyn", PersonMatcher.swapped(born).orElseThrow(), null, null))) {
            assertThat(PersonMatcher.score(q, her, false).score()).as("%s is a match", q)
                    .isGreaterThanOrEqualTo(PersonMatcher.DEFAULT_THRESHOLD);
            assertThat(PersonMatcher.mayReachThreshold(q, entryOf(her), false)).as("%s", q).isTrue();
        }
    }
}

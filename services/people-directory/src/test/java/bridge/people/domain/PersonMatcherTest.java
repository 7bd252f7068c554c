package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonMatcherTest {

    private static Person person(String given, String family, LocalDate dob, List<PersonName> other, String address) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Person("p1", List.of(), new PersonName(given, family), other, dob,
                address == null ? List.of() : List.of(new ContactDetail(ContactDetail.Method.POSTAL_ADDRESS, address, true, true)),
                List.of(), new Actor("s", "a", AgencyType.PRISON), now, now, 1, Gender.MALE);
    }

    private static final Person ALEX = person("Alexander James", "Morgan", LocalDate.of(1988, 4, 12),
            List.of(new PersonName("Alex", "Jones")), "12 Kirkgate, Leeds LS2 7DJ");

    /** given | family | dob | postcode | matches at the default threshold | a reason that must be given */
    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "Alexander | Morgan | 1988-04-12 | - | true | family name exact match",
            "Alex | Morgan | 1988-04-12 | - | true | given name nickname match",
            "Alexander | Morgen | 1988-04-12 | - | true | family name phonetic match",
            "Alexander | Morgan | 1988-12-04 | - | true | date of birth day/month swapped",
            "Alexander | Morgan | 1998-04-12 | - | true | date of birth year differs by one digit",
            "Alexander | Jones | 1988-04-12 | - | true | family name exact match (other name)",
            "Morgan | Alexander | 1988-04-12 | - | true | names swapped: family name exact match",
            "Alexander | Morgan | - | LS2 7DJ | true | postcode match",
            "Alexander | Morgan | - | - | false | date of birth not compared (missing)",
            "Alexander | Morgan | 1971-09-30 | - | false | family name exact match",
            "Bethan | Morgan | 1988-04-12 | - | false | family name exact match",
            "Alexander | Pemberton | 1988-04-12 | - | false | given name exact match",
    })
    void scoresAndExplains(String given, String family, LocalDate dob, String postcode, boolean matches, String reason) {
        PersonMatcher.Match m = PersonMatcher.score(new PersonMatcher.Query(given, family, dob, postcode, null), ALEX, true);
        assertThat(m.score() >= PersonMatcher.DEFAULT_THRESHOLD).as(m.toString()).isEqualTo(matches);
        assertThat(m.reasons()).as(m.toString()).contains(reason);
    }

    @Test
    void thePostcodeIsNotComparedWithoutContactVisibility() {
        var q = new PersonMatcher.Query("Alexander", "Morgan", null, "ls27dj", null);
        assertThat(PersonMatcher.score(q, ALEX, false).reasons()).doesNotContain("postcode match");
        assertThat(PersonMatcher.score(q, ALEX, true).reasons()).contains("postcode match");
    }

    @Test
    void aGenderMismatchLowersTheScore() {
        var same = PersonMatcher.score(new PersonMatcher.Query("Alexander", "Morgan", LocalDate.of(1988, 4, 12), null, Gender.MALE), ALEX, true);
        var other = PersonMatcher.score(new PersonMatcher.Query("Alexander", "Morgan", LocalDate.of(1988, 4, 12), null, Gender.FEMALE), ALEX, true);
        assertThat(other.score()).isLessThan(same.score());
        assertThat(other.reasons()).contains("gender differs");
    }

    @Test
    void blockingFindsTypoedAndSwappedDescriptions() {
        var keys = PersonMatcher.blockingKeys(ALEX);
        for (var q : List.of(
                new PersonMatcher.Query("Alex", "Morgen", null, null, null),
                new PersonMatcher.Query("Alexander", "Xorgan", LocalDate.of(1988, 12, 4), null, null),
                new PersonMatcher.Query("Alexander", "Xorgan", LocalDate.of(1983, 4, 12), null, null),
                new PersonMatcher.Query("Morgan", "Alexander", null, null, null),
                new PersonMatcher.Query("Alex", "Jones", null, null, null))) {
            var shared = new ArrayList<>(PersonMatcher.queryKeys(q));
            shared.retainAll(keys);
            assertThat(shared).as(q.toString()).isNotEmpty();
        }
    }

    /**
     * A search without a given name still finds, by the initials and the day of the year, every name with
     * the same family initial born on that day - those with a given name (stored under both initials
     * only) and those without (stored under the family initial).
     */
    @Test
    void aSearchWithoutAGivenNameFindsEveryNameByItsInitials() {
        List<Person> people = new ArrayList<>(new SyntheticPeople(3L).generate(300, 0, 0).directory());
        people.add(person(null, "Osei", LocalDate.of(1979, 5, 2), List.of(new PersonName("Kwame", "Mensah")), null));
        for (Person p : people) {
            if (p.dateOfBirth() == null) {
                continue;
            }
            List<PersonName> names = new ArrayList<>(List.of(p.preferredName()));
            names.addAll(p.otherNames());
            for (PersonName n : names) {
                // another year (four on: 29 February stays) and a family name sharing only its initial: nothing
                // but the initials and the day can meet
                var q = new PersonMatcher.Query(null, n.familyName().charAt(0) + "qxz", p.dateOfBirth().plusYears(4), null, null);
                var shared = new ArrayList<>(PersonMatcher.queryKeys(q));
                shared.retainAll(PersonMatcher.blockingKeys(p));
                assertThat(shared).as("%s %s", n, p.dateOfBirth()).anyMatch(k -> k.startsWith("mi:") || k.startsWith("m1:"));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"martha, marhta, 0.961", "dwayne, duane, 0.84", "dixon, dicksonx, 0.813"})
    void jaroWinklerMatchesTheTextbookFigures(String a, String b, double expected) {
        assertThat(PersonMatcher.jaroWinkler(a, b)).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void editDistanceCountsAdjacentSwapsAsOne() {
        assertThat(editDistance("morgan", "mrogan")).isEqualTo(1);
        assertThat(editDistance("osei", "ouei")).isEqualTo(1);
        assertThat(editDistance("smith", "smyth")).isEqualTo(1);
        assertThat(editDistance("smith", "jones")).isEqualTo(5);
    }

    /** The one-pass test answers exactly what the table answers, for every kind of near and far pair. */
    @Test
    void oneEditApartIsEditDistanceOne() {
        java.util.Random random = new java.util.Random(5);
        int ones = 0;
        for (int n = 0; n < 200_000; n++) {
            String a = randomWord(random);
            String b = switch (random.nextInt(4)) {
                case 0 -> randomWord(random);
                case 1 -> mutate(a, random);
                case 2 -> mutate(mutate(a, random), random);
                default -> a;
            };
            boolean one = editDistance(a, b) == 1;
            ones += one ? 1 : 0;
            assertThat(PersonMatcher.oneEditApart(a, b)).as("%s / %s", a, b).isEqualTo(one);
        }
        assertThat(ones).isGreaterThan(20_000);
    }

    /**
     * Damerau-Levenshtein (optimal string alignment) distance: insertions, deletions, substitutions, adjacent
     * swaps: the full table, the reference {@code PersonMatcher.oneEditApart} answers to.
     */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** Short words over a small alphabet, so that repeated letters and near misses are common. */
    private static String randomWord(java.util.Random random) {
        StringBuilder w = new StringBuilder();
        for (int i = random.nextInt(7); i > 0; i--) {
            w.append((char) ('a' + random.nextInt(4)));
        }
        return w.toString();
    }

    /** One substitution, insertion, deletion or adjacent swap, where the word allows it. */
    private static String mutate(String w, java.util.Random random) {
        StringBuilder m = new StringBuilder(w);
        int at = w.isEmpty() ? 0 : random.nextInt(w.length());
        switch (random.nextInt(4)) {
            case 0 -> m.insert(at, (char) ('a' + random.nextInt(4)));
            case 1 -> {
                if (!w.isEmpty()) {
                    m.deleteCharAt(at);
                }
            }
            case 2 -> {
                if (!w.isEmpty()) {
                    m.setCharAt(at, (char) ('a' + random.nextInt(4)));
                }
            }
            default -> {
                if (at + 1 < w.length()) {
                    m.setCharAt(at, w.charAt(at + 1));
                    m.setCharAt(at + 1, w.charAt(at));
                }
            }
        }
        return m.toString();
    }

    /** The ASCII fast path of simplify gives what the general (regex) path gives. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"O'Brien", "  Smith-Jones  ", "McLEOD", "d`Arcy",
            "Anne - Marie", "x1y", "--", "", " a ", "Jean-Luc  Picard", "ABC'DEF GHI", "9 Lives"})
    void asciiFastPathAgreesWithTheGeneralPath(String name) {
        assertThat(PersonMatcher.simplify(name)).isEqualTo(PersonMatcher.simplifyUnicode(name));
    }

    @Test
    void nonAsciiNamesLoseTheirAccents() {
        assertThat(PersonMatcher.simplify("Zoë O’Súilleabháin")).isEqualTo("zoe osuilleabhain");
    }
}

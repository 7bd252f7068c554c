package bridge.people.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every score, every reason and both blocking bounds of the matcher over every query x person pair of
 * labelled sets of both name generators, folded into one digest. The digest was taken from the matcher
 * that scored each candidate from the raw names (before the query and the names were prepared once and
 * reused): the prepared scoring must give exactly the same answers, not merely as good ones. A deliberate
 * change to the weights, the rules or the wording of a reason changes the digest; update it then, with the
 * figures of MatcherQualityTest and IndexedBoundTest.
 */
class ScoringFingerprintTest {

    static final String DIGEST = "7c249b1609d589530700d54ed09472f810ead403733b7ea853802d3439604189";

    @Test
    void everyScoreReasonAndBoundIsAsBefore() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        int pairs = 0;
        for (SyntheticPeople.Names names : SyntheticPeople.Names.values()) {
            SyntheticPeople.Set set = new SyntheticPeople(13L, names).generate(500, 150, 50);
            List<PersonMatcher.Query> queries = new ArrayList<>(set.queries().stream().map(SyntheticPeople.Labelled::query).toList());
            queries.addAll(awkward(set.directory()));
            List<Person> directory = new ArrayList<>(set.directory());
            directory.addAll(awkwardPeople());
            for (PersonMatcher.Query q : queries) {
                for (Person p : directory) {
                    for (boolean contact : new boolean[] {true, false}) {
                        PersonMatcher.Match m = PersonMatcher.score(q, p, contact);
                        String line = m.score() + " " + m.reasons() + " "
                                + PersonMatcher.mayReachThreshold(q, IndexedBoundTest.entryOf(p), contact) + " "
                                + PersonMatcher.mayReachThreshold(q, p.dateOfBirth(), contact) + "\n";
                        digest.update(line.getBytes(StandardCharsets.UTF_8));
                        pairs++;
                    }
                }
            }
        }
        String hex = HexFormat.of().formatHex(digest.digest());
        System.out.printf("scoring digest over %d pairs: %s%n", pairs, hex);
        assertThat(hex).isEqualTo(DIGEST);
    }

    /**
     * Descriptions the generators do not make: accents, apostrophes, double-barrelled and several given
     * names, initials, no or blank given names, names that are only separators, a postcode without a date;
     * and the first few people of the set with their names the wrong way round.
     */
    private static List<PersonMatcher.Query> awkward(List<Person> directory) {
        LocalDate d = LocalDate.of(1984, 3, 7);
        List<PersonMatcher.Query> out = new ArrayList<>(List.of(
                new PersonMatcher.Query("Zoë", "O’Súilleabháin", d, null, null),
                new PersonMatcher.Query("Zoe", "O'Suilleabhain", d, "LS2 7DJ", Gender.FEMALE),
                new PersonMatcher.Query("Anne-Marie Louise", "Smith-Jones", d, null, null),
                new PersonMatcher.Query("A", "Smith Jones", PersonMatcher.swapped(d).orElseThrow(), null, Gender.MALE),
                new PersonMatcher.Query(null, "Jones", d, null, null),
                new PersonMatcher.Query("  ", "Jones", null, "ls27dj", null),
                new PersonMatcher.Query("--", "'", d, null, null),
                new PersonMatcher.Query("Bob", "Robertson", LocalDate.of(1994, 3, 7), null, null),
                new PersonMatcher.Query("Jean Luc", "Picard", LocalDate.of(1984, 3, 17), "LS2 7DJ", Gender.MALE)));
        for (Person p : directory.subList(0, 40)) {
            out.add(new PersonMatcher.Query(p.preferredName().familyName(), p.preferredName().givenNames(), p.dateOfBirth(),
                    null, p.gender()));
        }
        return out;
    }

    private static List<Person> awkwardPeople() {
        LocalDate d = LocalDate.of(1984, 3, 7);
        List<Person> out = new ArrayList<>();
        String[][] names = {{"Zoë", "O’Súilleabháin"}, {"Anne Marie", "Smith"}, {"Robert", "Jones-Smith"}, {null, "Jones"},
                {"J", "Picard"}, {"Jean-Luc", "Picard"}, {"Bobby", "Robertsen"}};
        for (int i = 0; i < names.length; i++) {
            out.add(new Person("awkward" + i, List.of(), new PersonName(names[i][0], names[i][1]),
                    i % 2 == 0 ? List.of(new PersonName("Alex", "Morgan")) : List.of(), i == 3 ? null : d,
                    List.of(new ContactDetail(ContactDetail.Method.POSTAL_ADDRESS, "12 Kirkgate, Leeds LS2 7DJ", true, true)),
                    List.of(), null, Instant.EPOCH, Instant.EPOCH, 1, i % 3 == 0 ? Gender.MALE : null));
        }
        return out;
    }
}

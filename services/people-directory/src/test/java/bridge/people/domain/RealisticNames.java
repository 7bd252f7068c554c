package bridge.people.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Names as skewed as a real population's, for the scale benchmark. No real person's data: the common
 * names are those of {@link SyntheticPeople}'s lists, the long tail is made of syllables.
 *
 * <p>The shape: family-name frequencies follow a power law in rank (Zipf), a regularity reported across
 * countries (W. R. Fox and G. W. Lasker, "The distribution of surname frequencies", International
 * Statistical Review 51, 1983; D. H. Zanette and S. C. Manrubia, "Vertical transmission of culture and the
 * distribution of family names", Physica A 295, 2001). Here the share of the name of rank r is
 * proportional to 1 / (r + 10) (Zipf-Mandelbrot, exponent 1) over {@value #FAMILY_NAMES} names, so that the
 * commonest name is held by about 1 person in 100 (the order of Smith's share in Britain) and about half
 * of the people have a name outside the commonest 1,000. Given names are less varied: 1 / (r + 3) over
 * {@value #GIVEN_NAMES} names per sex, the commonest held by about 1 in 25. The 170 family and 60 given
 * names per sex of the uniform lists take the first ranks, in the order listed.
 *
 * <p>Compared with the uniform lists this makes the average block a registration meets smaller (most
 * people have rarer names) and the largest blocks much larger (at 1M, ~10,000 people share the commonest
 * family name): the benchmark reports both.
 */
final class RealisticNames {

    static final int FAMILY_NAMES = 50_000;
    static final int GIVEN_NAMES = 2_000;

    private static final Ranked FAMILY = new Ranked(names(SyntheticPeople.FAMILY, FAMILY_NAMES, 1,
            new String[] {"", "ley", "ton", "ford", "field", "wood", "worth", "by", "ham", "well", "son", "er", "man",
                    "more", "ridge", "shaw", "croft", "stone", "hurst", "ington", "ett", "ard", "ell", "in", "ock"}), 10);
    private static final Ranked FEMALE = new Ranked(names(SyntheticPeople.FEMALE, GIVEN_NAMES, 2,
            new String[] {"a", "ia", "ie", "ette", "elle", "ina", "ey"}), 3);
    private static final Ranked MALE = new Ranked(names(SyntheticPeople.MALE, GIVEN_NAMES, 3,
            new String[] {"o", "an", "el", "on", "us", "ard", "ick"}), 3);

    private RealisticNames() {
    }

    static String family(Random random) {
        return FAMILY.draw(random);
    }

    static String given(boolean female, Random random) {
        return (female ? FEMALE : MALE).draw(random);
    }

    /** The share of the commonest family name (for the documentation's figures and the generator's test). */
    static double commonestFamilyShare() {
        return FAMILY.share(0);
    }

    static List<String> familyNames() {
        return FAMILY.names;
    }

    /** The listed names first, then made-up ones (onset, vowel, coda, ending) in a fixed shuffled order. */
    private static List<String> names(String[] head, int count, long seed, String[] endings) {
        Set<String> out = new LinkedHashSet<>(Arrays.asList(head));
        Set<String> taken = new java.util.HashSet<>();
        out.forEach(n -> taken.add(n.toLowerCase(Locale.ROOT)));
        String[] onsets = {"B", "Br", "C", "Ch", "Cr", "D", "Dr", "F", "G", "Gr", "H", "J", "K", "L", "M", "N", "P",
                "Pr", "R", "S", "Sh", "St", "T", "Th", "W", "Wh", "Y", "Bl", "Fl", "Gl"};
        String[] vowels = {"a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou"};
        String[] codas = {"b", "ck", "d", "ff", "g", "l", "ll", "m", "n", "nd", "ng", "p", "r", "rn", "s", "t", "tt",
                "v", "x", "z"};
        List<String> made = new ArrayList<>();
        for (String o : onsets) {
            for (String v : vowels) {
                for (String c : codas) {
                    for (String e : endings) {
                        made.add(o + v + c + e);
                    }
                }
            }
        }
        java.util.Collections.shuffle(made, new Random(seed));
        for (String n : made) {
            if (out.size() >= count) {
                break;
            }
            if (taken.add(n.toLowerCase(Locale.ROOT))) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    /** Names drawn with probability proportional to 1 / (rank + offset), rank from 1. */
    private static final class Ranked {
        private final List<String> names;
        private final double[] cumulative;

        Ranked(List<String> names, double offset) {
            this.names = names;
            this.cumulative = new double[names.size()];
            double total = 0;
            for (int r = 0; r < names.size(); r++) {
                total += 1.0 / (r + 1 + offset);
                cumulative[r] = total;
            }
            for (int r = 0; r < cumulative.length; r++) {
                cumulative[r] /= total;
            }
        }

        String draw(Random random) {
            int i = Arrays.binarySearch(cumulative, random.nextDouble());
            return names.get(Math.min(names.size() - 1, i < 0 ? -i - 1 : i));
        }

        double share(int rank) {
            return rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
        }
    }
}

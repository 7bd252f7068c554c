package bridge.people.domain;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.language.DoubleMetaphone;

/**
 * Probabilistic matching of a description of someone (names, date of birth, postcode, gender)
 * against a person in the directory: a score in 0..1 and the reasons for it, in words.
 *
 * <p>Two stages, as a real record-linkage system would do it:
 * <ol>
 *   <li><b>Blocking</b>: every person carries {@link #blockingKeys(Person) keys} (Double Metaphone
 *   codes of each family name token of every name the person is known by, and the date of birth),
 *   and a search fetches only people sharing one of the {@link #queryKeys(Query) query's keys}
 *   (phonetic codes of the family name - and of the given names, for swapped names - the date of
 *   birth, its day/month swap and every single-digit year typo). A real MongoDB serves that from a
 *   multikey index on {@code matchKeys}.</li>
 *   <li><b>Scoring</b>: family name (exact, phonetic, Jaro-Winkler), given name (exact, nickname,
 *   phonetic, Jaro-Winkler, initial), across the preferred and the other names; date of birth
 *   (exact, day/month swapped, one digit wrong in the year, day or month); then gender and postcode
 *   adjust. Without a date of birth a name alone cannot reach the threshold unless the postcode also
 *   matches: common names are too common.</li>
 * </ol>
 * The weights and the {@link #DEFAULT_THRESHOLD} are tuned on the labelled synthetic set in the
 * tests (SyntheticPeople / MatcherQualityTest), which prints precision and recall.
 */
public final class PersonMatcher {

    public static final double DEFAULT_THRESHOLD = 0.80;

    private static final double W_FAMILY = 0.35;
    private static final double W_GIVEN = 0.25;
    private static final double W_DOB = 0.40;
    private static final double NO_DOB_FACTOR = 0.76;
    private static final double NO_GIVEN_FACTOR = 0.88;
    private static final double POSTCODE_BONUS = 0.12;
    private static final double GENDER_MISMATCH_FACTOR = 0.85;

    private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();
    /**
     * Full-length codes for comparing two names: the 4-character codes used for blocking make long
     * names that only share a beginning ("Matrixnone", "Matrixgranted") sound alike.
     */
    private static final DoubleMetaphone METAPHONE_FULL = new DoubleMetaphone();

    static {
        METAPHONE_FULL.setMaxCodeLen(16);
    }
    private static final Pattern POSTCODE = Pattern.compile("\\b([A-Z]{1,2}\\d[A-Z\\d]?)\\s*(\\d[A-Z]{2})\\b");

    /** A few common English given-name equivalences; a bonus, not a dictionary. */
    private static final List<Set<String>> NICKNAMES = List.of(
            Set.of("alexander", "alex", "alexandra", "alec", "sandy", "xander", "lexi"),
            Set.of("robert", "rob", "bob", "bobby", "robbie", "bert"),
            Set.of("william", "will", "bill", "billy", "liam", "willie"),
            Set.of("richard", "rick", "dick", "richie", "ricky"),
            Set.of("elizabeth", "liz", "beth", "betty", "lizzie", "eliza", "libby"),
            Set.of("margaret", "maggie", "meg", "peggy", "marge"),
            Set.of("james", "jim", "jimmy", "jamie"),
            Set.of("michael", "mike", "mick", "mickey"),
            Set.of("thomas", "tom", "tommy"),
            Set.of("jonathan", "john", "jon", "johnny", "jack"),
            Set.of("katherine", "catherine", "kate", "katie", "kath", "cathy", "kathy"),
            Set.of("daniel", "dan", "danny"),
            Set.of("christopher", "chris", "kit"),
            Set.of("christine", "chris", "chrissie", "tina"),
            Set.of("anthony", "tony"),
            Set.of("joseph", "joe", "joey"),
            Set.of("stephen", "steven", "steve"),
            Set.of("samuel", "sam", "sammy"),
            Set.of("samantha", "sam", "sammy"),
            Set.of("rebecca", "becky", "becca"),
            Set.of("jennifer", "jen", "jenny"),
            Set.of("patricia", "pat", "patty", "trish"),
            Set.of("edward", "ed", "eddie", "ted", "ned"),
            Set.of("david", "dave", "davey"),
            Set.of("andrew", "andy", "drew"),
            Set.of("susan", "sue", "susie"),
            Set.of("victoria", "vicky", "tori"),
            Set.of("nicholas", "nick", "nicky"),
            Set.of("matthew", "matt"),
            Set.of("peter", "pete"),
            Set.of("benjamin", "ben", "benny"),
            Set.of("charles", "charlie", "chas", "chuck"),
            Set.of("deborah", "debbie", "deb"),
            Set.of("francis", "frank", "frankie"),
            Set.of("frances", "fran", "frankie"));

    private PersonMatcher() {
    }

    /** What the caller knows of the person sought; any field but the family name may be null. */
    public record Query(String givenNames, String familyName, LocalDate dateOfBirth, String postcode, Gender gender) {
    }

    /** A score in 0..1 and why. */
    public record Match(double score, List<String> reasons) {
        public Match {
            reasons = List.copyOf(reasons);
        }
    }

    // ---- blocking -------------------------------------------------------------------------

    /*
     * Blocking keys pair two pieces of evidence, so that no block grows with the directory the way a
     * common surname or a common birthday alone does (at 1M people "fn:SM0" would hold ~10,000):
     *   fg:<family code>|<given code>   any date of birth, or none, on either side
     *   fd:<family code>|<date>         given name misspelt beyond its sound, or a nickname
     *   gd:<given code>|<date>          family name changed (not recorded as another name) or misspelt
 *   dob:<date>                      both names misspelt; asked only for the exact and the swapped date
 *   fp:/gp:<code>|<postcode>        no date of birth: name and postcode
 *   mi:<initials>|<MM-DD>           names misspelt and year mistyped (m1: family initial only, for
 *                                   names without a given name; a search without one asks both)
     * Every name of the person (preferred and other names) contributes. A search asks the same keys for
     * its names both ways round and for every date its date of birth may have been mistyped as.
     */

    /** The prefix of the keys of the date of birth alone. */
    public static final String DATE_OF_BIRTH_KEY = "dob:";

    /**
     * Whether the people under this key are there by their date of birth or its day of the year (the
     * date alone, a name code with the date, the initials with the day): the date bound keeps nearly
     * everyone such a block holds for a query asking it (they share the date, or the day and so a one-digit
     * year typo), so its entries carry the names too, for the name bound
     * ({@link #mayReachThreshold(PreparedQuery, Indexed, boolean)}) to drop them before any record is read.
     * The entries of the name-pair and postcode blocks mix dates, which the date alone mostly rules out.
     */
    public static boolean entriesCarryNames(String key) {
        return key.startsWith(DATE_OF_BIRTH_KEY) || key.startsWith("fd:") || key.startsWith("gd:")
                || key.startsWith("mi:") || key.startsWith("m1:");
    }

    /** The keys stored with a person (field {@code matchKeys}). */
    public static Set<String> blockingKeys(Person p) {
        Set<String> keys = new LinkedHashSet<>();
        List<PersonName> names = new ArrayList<>();
        if (p.preferredName() != null) {
            names.add(p.preferredName());
        }
        names.addAll(p.otherNames());
        List<String> dates = p.dateOfBirth() == null ? List.of() : List.of(p.dateOfBirth().toString());
        for (PersonName n : names) {
            Set<String> family = new LinkedHashSet<>();
            for (String t : tokens(n.familyName())) {
                family.addAll(phonetic(t));
            }
            Set<String> given = tokens(n.givenNames()).stream().findFirst().map(PersonMatcher::phonetic).orElse(Set.of());
            pairs(keys, family, given, dates);
            if (p.dateOfBirth() != null) {
                String md = monthDay(p.dateOfBirth());
                // a name with a given name under both initials only: a search without a given name asks the
                // family initial with every given initial too (queryKeys), and the family initial alone is the
                // largest block a person would join (everyone of that initial born on that day of any year)
                Optional<Character> g = initial(n.givenNames());
                initial(n.familyName()).ifPresent(f -> keys.add(g.isPresent()
                        ? "mi:" + f + g.get() + "|" + md
                        : "m1:" + f + "|" + md));
            }
        }
        if (p.dateOfBirth() != null) {
            keys.add(DATE_OF_BIRTH_KEY + p.dateOfBirth());
        }
        // without a date of birth only name and postcode can reach the threshold
        for (String pc : postcodes(p)) {
            for (PersonName n : names) {
                for (String t : tokens(n.familyName())) {
                    phonetic(t).forEach(c -> keys.add("fp:" + c + "|" + pc));
                }
                tokens(n.givenNames()).stream().findFirst().ifPresent(t -> phonetic(t).forEach(c -> keys.add("gp:" + c + "|" + pc)));
            }
        }
        return keys;
    }

    private static String monthDay(LocalDate d) {
        return d.toString().substring(5);
    }

    private static Optional<Character> initial(String name) {
        String t = simplify(name);
        return t.isEmpty() ? Optional.empty() : Optional.of(t.charAt(0));
    }

    /** The keys a search looks for: any one shared makes the person a candidate. */
    public static Set<String> queryKeys(Query q) {
        // about a hundred with a date of birth: sized so that it never grows
        Set<String> keys = new LinkedHashSet<>(512);
        Set<String> family = new LinkedHashSet<>();
        for (String t : tokens(q.familyName())) {
            family.addAll(phonetic(t));
        }
        Set<String> given = new LinkedHashSet<>();
        for (String t : tokens(q.givenNames())) {
            given.addAll(phonetic(t));
            for (Set<String> group : NICKNAMES) {
                if (group.contains(t)) { // a token is simplified already
                    group.forEach(nick -> given.addAll(phonetic(nick)));
                }
            }
        }
        List<String> dates = new ArrayList<>();
        LocalDate d = q.dateOfBirth();
        if (d != null) {
            dates.add(d.toString());
            swapped(d).ifPresent(s -> dates.add(s.toString()));
            for (LocalDate y : yearTypos(d)) {
                dates.add(y.toString());
            }
        }
        pairs(keys, family, given, dates);
        pairs(keys, given, family, dates); // registered with the names the wrong way round
        if (d != null) {
            // both names misspelt beyond their sound, or no given name and a misspelt family name: the
            // date alone (about 35 people a date at 1M), exact or day/month swapped, not every year typo
            keys.add(DATE_OF_BIRTH_KEY + d);
            swapped(d).ifPresent(s -> keys.add(DATE_OF_BIRTH_KEY + s));
            // names misspelt and the year mistyped: initials and day of the year
            List<String> days = new ArrayList<>(List.of(monthDay(d)));
            swapped(d).ifPresent(s -> days.add(monthDay(s)));
            Optional<Character> f = initial(q.familyName());
            Optional<Character> g = initial(q.givenNames());
            for (String md : days) {
                if (f.isPresent() && g.isPresent()) {
                    keys.add("mi:" + f.get() + g.get() + "|" + md);
                    keys.add("mi:" + g.get() + f.get() + "|" + md);
                } else if (f.isPresent()) {
                    // people without a given name are under "m1:", the others under their initials
                    keys.add("m1:" + f.get() + "|" + md);
                    for (char initial = 'a'; initial <= 'z'; initial++) {
                        keys.add("mi:" + f.get() + initial + "|" + md);
                    }
                }
            }
        }
        return keys;
    }

    private static void pairs(Set<String> keys, Set<String> family, Set<String> given, List<String> dates) {
        for (String f : family) {
            for (String g : given) {
                keys.add("fg:" + f + "|" + g);
            }
            for (String d : dates) {
                keys.add("fd:" + f + "|" + d);
            }
        }
        for (String g : given) {
            for (String d : dates) {
                keys.add("gd:" + g + "|" + d);
            }
        }
    }

    /**
     * Whether a candidate with this date of birth ({@code null}: none recorded) could reach the
     * threshold with the best possible names - the bound of {@link #score}: names alone (no agreeing
     * date) give at most 0.6, a date missing on either side at most 0.76, and only the postcode bonus
     * (when the caller may use it) lifts either. Lets the blocking step drop most candidates of large
     * blocks before their records are read; {@code MatcherQualityTest} checks it never drops a match.
     */
    public static boolean mayReachThreshold(Query q, LocalDate candidateDateOfBirth, boolean mayUsePostcode) {
        double bound;
        double dob = dobScore(q.dateOfBirth(), candidateDateOfBirth, null);
        if (Double.isNaN(dob)) {
            bound = NO_DOB_FACTOR;
        } else {
            double named = W_FAMILY + W_GIVEN;
            bound = Math.max((named + W_DOB * dob) / (named + W_DOB),
                    (W_FAMILY + W_DOB * dob) / (W_FAMILY + W_DOB) * NO_GIVEN_FACTOR);
        }
        if (mayUsePostcode && q.postcode() != null && !q.postcode().isBlank()) {
            bound += POSTCODE_BONUS;
        }
        // scores are rounded to three places: keep anything that could round up to the threshold
        return bound >= DEFAULT_THRESHOLD - 0.0005;
    }

    /**
     * What an entry of the blocking index tells of a person before the record is read: the date of birth
     * ({@code null}: none recorded) and, where the entry carries them, every name (the preferred name
     * first; empty: not carried).
     */
    public record Indexed(LocalDate dateOfBirth, List<PersonName> names) {
        public Indexed {
            names = List.copyOf(names);
        }
    }

    /**
     * A query made ready for scoring many candidates: its names simplified, split and phonetically coded
     * once (a registration scores every date-of-birth entry it meets and every record it reads against
     * the same query), so that scoring a candidate works on the candidate's side only.
     */
    public static final class PreparedQuery {
        private final Query query;
        /** The whole family name, and the whole given names (the family name of the names-swapped reading). */
        private final Name family;
        private final Name given;
        /** The first token of each: what a candidate's first given name is compared with. */
        private final Name familyFirst;
        private final Name givenFirst;
        private final boolean givenKnown;
        private final boolean familyKnown;
        /** Normalised; {@code null} when the query has none. */
        private final String postcode;

        private PreparedQuery(Query q) {
            this.query = q;
            this.family = name(q.familyName());
            this.given = name(q.givenNames());
            this.familyFirst = family.first;
            this.givenFirst = given.first;
            this.givenKnown = q.givenNames() != null && !q.givenNames().isBlank();
            this.familyKnown = q.familyName() != null && !q.familyName().isBlank();
            this.postcode = q.postcode() == null || q.postcode().isBlank() ? null : normalisePostcode(q.postcode());
        }

        public Query query() {
            return query;
        }
    }

    /** The query made ready for scoring many candidates (see {@link PreparedQuery}). */
    public static PreparedQuery prepare(Query q) {
        return new PreparedQuery(q);
    }

    /**
     * {@link #mayReachThreshold(Query, LocalDate, boolean)}, and where the entry carries the names, whether
     * those names with that date could reach the threshold: the score of the names and date themselves,
     * which the record's gender can only lower and its postcode (when the caller may use it) raise by the
     * bonus at most. Lets the blocking step drop the people of a date-of-birth block (all born that day,
     * so the date alone keeps them all) whose names rule them out, without reading their records.
     */
    public static boolean mayReachThreshold(Query q, Indexed entry, boolean mayUsePostcode) {
        return mayReachThreshold(prepare(q), entry, mayUsePostcode);
    }

    /** {@link #mayReachThreshold(Query, Indexed, boolean)} of a prepared query. */
    public static boolean mayReachThreshold(PreparedQuery q, Indexed entry, boolean mayUsePostcode) {
        if (!mayReachThreshold(q.query, entry.dateOfBirth(), mayUsePostcode)) {
            return false;
        }
        List<PersonName> names = entry.names();
        if (names.isEmpty()) {
            return true;
        }
        /*
         * The cheap half first: unless some name's family name scores above zero against the query's
         * family name, or against its given names (the names-swapped reading), the names score at most
         * W_GIVEN (0.25; 0.225 swapped) and the best date brings at most 0.65, 0.77 with the postcode
         * bonus - below the threshold whatever the rest. The family scores are kept for the full score.
         */
        double[] asFamily = new double[names.size()];
        double[] asGiven = new double[names.size()];
        boolean mayAgree = false;
        for (int i = 0; i < names.size(); i++) {
            Name family = name(names.get(i).familyName());
            asFamily[i] = fieldScore(q.family, family, false, null, "", "", "");
            asGiven[i] = fieldScore(q.given, family, false, null, "", "", "");
            mayAgree |= asFamily[i] > 0 || asGiven[i] > 0;
        }
        if (!mayAgree) {
            return false;
        }
        double best = score(q, names, asFamily, asGiven, entry.dateOfBirth(), null, null, false, false).score();
        if (mayUsePostcode && q.postcode != null) {
            best += POSTCODE_BONUS;
        }
        return best >= DEFAULT_THRESHOLD - 0.0005;
    }

    // ---- scoring --------------------------------------------------------------------------

    /**
     * Scores a candidate. {@code mayUseContact}: whether the caller may see the candidate's contact
     * details; without it the postcode is not compared (a "postcode match" reason would reveal where
     * the person lives).
     */
    public static Match score(Query q, Person p, boolean mayUseContact) {
        return score(prepare(q), p, mayUseContact);
    }

    /** {@link #score(Query, Person, boolean)} against a prepared query. */
    public static Match score(PreparedQuery q, Person p, boolean mayUseContact) {
        List<PersonName> names = new ArrayList<>(1 + p.otherNames().size());
        names.add(p.preferredName());
        names.addAll(p.otherNames());
        return score(q, names, null, null, p.dateOfBirth(), p.gender(), p, mayUseContact, true);
    }

    /**
     * {@link #score(Query, Person, boolean)} of these names (preferred first) and date; {@code p} for the
     * postcode only. {@code asFamily} / {@code asGiven}: each name's family name already scored against the
     * query's family name / given names ({@code null}: not yet). The best name reading is chosen on the
     * figures alone; its reasons are worded afterwards, and only when {@code explain}.
     */
    private static Match score(PreparedQuery q, List<PersonName> names, double[] asFamily, double[] asGiven,
                               LocalDate dateOfBirth, Gender gender, Person p, boolean mayUseContact, boolean explain) {
        int bestAt = -1;
        boolean bestSwapped = false;
        double bestValue = 0;
        for (int i = 0; i < names.size(); i++) {
            PersonName n = names.get(i);
            if (n == null) {
                continue;
            }
            Name family = name(n.familyName());
            Name given = name(n.givenNames()).first;
            double f = asFamily != null ? asFamily[i] : fieldScore(q.family, family, false, null, "", "", "");
            double s = W_FAMILY * f + (q.givenKnown ? W_GIVEN * fieldScore(q.givenFirst, given, true, null, "", "", "") : 0);
            double fs = asGiven != null ? asGiven[i] : fieldScore(q.given, family, false, null, "", "", "");
            double swapped = W_FAMILY * fs
                    + (q.familyKnown ? W_GIVEN * fieldScore(q.familyFirst, given, true, null, "", "", "") : 0);
            boolean isSwapped = swapped * 0.9 > s;
            double value = isSwapped ? swapped * 0.9 : s;
            if (bestAt < 0 || value > bestValue) {
                bestAt = i;
                bestSwapped = isSwapped;
                bestValue = value;
            }
        }
        if (bestAt < 0) {
            return new Match(0, List.of());
        }
        boolean givenKnown = bestSwapped ? q.familyKnown : q.givenKnown;
        List<String> reasons = explain ? new ArrayList<>() : null;
        if (explain) {
            PersonName n = names.get(bestAt);
            String prefix = bestSwapped ? "names swapped: " : "";
            String suffix = bestAt > 0 ? " (other name)" : "";
            fieldScore(bestSwapped ? q.given : q.family, name(n.familyName()), false, reasons, "family name", prefix, suffix);
            if (givenKnown) {
                fieldScore(bestSwapped ? q.familyFirst : q.givenFirst, name(n.givenNames()).first, true, reasons,
                        "given name", prefix, suffix);
            }
        }
        double score;
        double dob = dobScore(q.query.dateOfBirth(), dateOfBirth, reasons);
        double nameWeight = W_FAMILY + (givenKnown ? W_GIVEN : 0);
        if (Double.isNaN(dob)) {
            score = bestValue / nameWeight * NO_DOB_FACTOR;
            addReason(reasons, "date of birth not compared (missing)");
        } else {
            score = (bestValue + W_DOB * dob) / (nameWeight + W_DOB);
            if (!givenKnown) {
                // family name and date of birth alone: only a (near) exact pair is enough
                score *= NO_GIVEN_FACTOR;
            }
        }
        if (q.query.gender() != null && gender != null) {
            if (q.query.gender() != gender) {
                score *= GENDER_MISMATCH_FACTOR;
                addReason(reasons, "gender differs");
            } else {
                addReason(reasons, "gender matches");
            }
        }
        if (mayUseContact && p != null && q.postcode != null) {
            if (postcodes(p).contains(q.postcode)) {
                score = Math.min(1.0, score + POSTCODE_BONUS);
                addReason(reasons, "postcode match");
            }
        }
        return new Match(Math.round(score * 1000) / 1000.0, explain ? reasons : List.of());
    }

    private static void addReason(List<String> reasons, String reason) {
        if (reasons != null) {
            reasons.add(reason);
        }
    }

    /**
     * One field of the query against the candidate's, both prepared: 1 exact, down to 0 unrelated. Where
     * {@code reasons} is given, the reason is added in words ({@code what}, with the reading's prefix and
     * the name's suffix).
     */
    private static double fieldScore(Name query, Name candidate, boolean given, List<String> reasons,
                                     String what, String prefix, String suffix) {
        String a = query.text;
        String b = candidate.text;
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        if (a.equals(b)) {
            addReason(reasons, prefix + what + " exact match" + suffix);
            return 1.0;
        }
        if (given && (query.nicknameGroups & candidate.nicknameGroups) != 0) {
            addReason(reasons, prefix + what + " nickname match" + suffix);
            return 0.9;
        }
        double jw = jaroWinkler(a, b);
        boolean phon = soundAlike(query, candidate);
        if (phon && jw >= 0.8) {
            addReason(reasons, prefix + what + " phonetic match" + suffix);
            return Math.max(0.9, jw * 0.95);
        }
        if (jw >= 0.9) {
            if (reasons != null) {
                reasons.add(prefix + what + " similar spelling (Jaro-Winkler " + String.format(Locale.ROOT, "%.2f", jw) + ")" + suffix);
            }
            return jw * 0.95;
        }
        if (phon) {
            addReason(reasons, prefix + what + " phonetic match" + suffix);
            return 0.8;
        }
        if (Math.min(a.length(), b.length()) >= 3 && oneEditApart(a, b)) {
            addReason(reasons, prefix + what + " one letter different" + suffix);
            return Math.min(a.length(), b.length()) >= 4 ? 0.85 : 0.7;
        }
        if (given && jw >= 0.8) {
            if (reasons != null) {
                reasons.add(prefix + what + " partly similar (Jaro-Winkler " + String.format(Locale.ROOT, "%.2f", jw) + ")" + suffix);
            }
            return jw * 0.7;
        }
        if (given && (a.length() == 1 || b.length() == 1) && a.charAt(0) == b.charAt(0)) {
            addReason(reasons, prefix + what + " initial matches" + suffix);
            return 0.6;
        }
        // compound names: one token of a double-barrelled name equals the other name
        if (!given) {
            for (String t : candidate.tokens) {
                for (String u : query.tokens) {
                    if (t.equals(u) && t.length() > 1) {
                        addReason(reasons, prefix + what + " part match" + suffix);
                        return 0.85;
                    }
                }
            }
        }
        return 0;
    }

    /**
     * NaN when either date is missing; otherwise 1 exact, 0.85 day/month swapped, 0.8 one digit wrong, else 0;
     * the reason added to {@code reasons} unless that is {@code null}.
     */
    static double dobScore(LocalDate q, LocalDate c, List<String> reasons) {
        if (q == null || c == null) {
            return Double.NaN;
        }
        if (q.equals(c)) {
            addReason(reasons, "date of birth exact match");
            return 1.0;
        }
        if (swapped(q).filter(c::equals).isPresent()) {
            addReason(reasons, "date of birth day/month swapped");
            return 0.85;
        }
        if (q.getMonthValue() == c.getMonthValue() && q.getDayOfMonth() == c.getDayOfMonth()
                && digitsDiffer(q.getYear(), c.getYear(), 4) == 1) {
            addReason(reasons, "date of birth year differs by one digit");
            return 0.8;
        }
        if (q.getYear() == c.getYear()
                && digitsDiffer(q.getDayOfMonth() * 100 + q.getMonthValue(), c.getDayOfMonth() * 100 + c.getMonthValue(), 4) == 1) {
            addReason(reasons, "date of birth day or month differs by one digit");
            return 0.75;
        }
        return 0;
    }

    /** Decimal digits that differ between a and b, both written with {@code width} digits. */
    private static int digitsDiffer(int a, int b, int width) {
        int n = 0;
        for (int i = 0; i < width; i++, a /= 10, b /= 10) {
            if (a % 10 != b % 10) {
                n++;
            }
        }
        return n;
    }

    // ---- helpers --------------------------------------------------------------------------

    static Optional<LocalDate> swapped(LocalDate d) {
        if (d.getDayOfMonth() == d.getMonthValue() || d.getDayOfMonth() > 12) {
            return Optional.empty();
        }
        return Optional.of(LocalDate.of(d.getYear(), d.getDayOfMonth(), d.getMonthValue()));
    }

    static List<LocalDate> yearTypos(LocalDate d) {
        List<LocalDate> out = new ArrayList<>();
        char[] y = String.format("%04d", d.getYear()).toCharArray();
        for (int i = 0; i < 4; i++) {
            for (char c = '0'; c <= '9'; c++) {
                if (c == y[i]) {
                    continue;
                }
                char[] z = y.clone();
                z[i] = c;
                int year = Integer.parseInt(new String(z));
                if (year >= 1900 && year <= 2100) {
                    try {
                        out.add(LocalDate.of(year, d.getMonthValue(), d.getDayOfMonth()));
                    } catch (java.time.DateTimeException e) {
                        // 29 February in a year that has none
                    }
                }
            }
        }
        return out;
    }

    /** Bit i set: the name is in {@link #NICKNAMES} group i (fewer than 64 groups). */
    private static long nicknameGroups(String name) {
        long groups = 0;
        for (int i = 0; i < NICKNAMES.size(); i++) {
            if (NICKNAMES.get(i).contains(name)) {
                groups |= 1L << i;
            }
        }
        return groups;
    }

    /** Whether some token of one sounds like some token of the other (full-length Double Metaphone codes). */
    private static boolean soundAlike(Name a, Name b) {
        for (String c : b.codes) {
            for (String d : a.codes) {
                if (c.equals(d)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A name (a whole field, or one token of it) as scoring compares it: simplified, its tokens, the
     * full-length phonetic codes of its tokens and the nickname groups it belongs to. Made once per name
     * text and kept ({@link #name}): a surname population is heavily skewed, so the same few thousand
     * names are compared over and over.
     */
    private static final class Name {
        final String text;
        final String[] tokens;
        final String[] codes;
        final long nicknameGroups;
        /** Its first token as a name; itself when it has one token or none. */
        final Name first;

        private Name(String text) {
            this.text = text;
            this.tokens = text.split(" ");
            Set<String> all = new LinkedHashSet<>();
            for (String t : tokens) {
                all.addAll(phonetic(t, METAPHONE_FULL));
            }
            this.codes = all.toArray(String[]::new);
            this.nicknameGroups = nicknameGroups(text);
            this.first = tokens.length <= 1 ? this : name(tokens[0]);
        }
    }

    /** Prepared names by their text as given (simplified or not); bounded like the phonetic codes. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Name> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Name name(String given) {
        String key = given == null ? "" : given;
        Name cached = NAMES.get(key);
        if (cached != null) {
            return cached;
        }
        String text = simplify(key);
        Name n = text.equals(key) ? new Name(text) : name(text);
        if (NAMES.size() >= CODE_CACHE_LIMIT) {
            NAMES.clear();
        }
        NAMES.put(key, n);
        return n;
    }

    static Set<String> phonetic(String token) {
        return phonetic(token, METAPHONE);
    }

    /*
     * Codes by simplified token: scoring codes the same few thousand names over and over (a surname
     * population is heavily skewed), and Double Metaphone is the matcher's most expensive step. Bounded:
     * emptied when full, so memory stays flat however many distinct names pass through.
     */
    private static final int CODE_CACHE_LIMIT = 200_000;
    private static final java.util.concurrent.ConcurrentHashMap<String, Set<String>> BLOCK_CODES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.ConcurrentHashMap<String, Set<String>> FULL_CODES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static Set<String> phonetic(String token, DoubleMetaphone coder) {
        String t = simplify(token).replace(" ", "");
        if (t.isEmpty()) {
            return Set.of();
        }
        var cache = coder == METAPHONE ? BLOCK_CODES : FULL_CODES;
        Set<String> cached = cache.get(t);
        if (cached != null) {
            return cached;
        }
        if (cache.size() >= CODE_CACHE_LIMIT) {
            cache.clear();
        }
        Set<String> codes = codes(t, coder);
        cache.put(t, codes);
        return codes;
    }

    private static Set<String> codes(String t, DoubleMetaphone coder) {
        Set<String> codes = new LinkedHashSet<>();
        String primary = coder.doubleMetaphone(t, false);
        String alternate = coder.doubleMetaphone(t, true);
        if (primary != null && !primary.isEmpty()) {
            codes.add(primary);
        }
        if (alternate != null && !alternate.isEmpty()) {
            codes.add(alternate);
        }
        return java.util.Collections.unmodifiableSet(codes);
    }

    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern APOSTROPHES = Pattern.compile("['’`]");
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z]+");

    /** Lower case, accents removed, apostrophes dropped, hyphens and other separators to single spaces. */
    static String simplify(String s) {
        if (s == null) {
            return "";
        }
        // scoring simplifies every name of every candidate: plain ASCII (nearly every name) skips the regexes
        StringBuilder out = new StringBuilder(s.length());
        boolean gap = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128) {
                return simplifyUnicode(s);
            }
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c >= 'a' && c <= 'z') {
                if (gap && !out.isEmpty()) {
                    out.append(' ');
                }
                gap = false;
                out.append(c);
            } else if (c != '\'' && c != '`') {
                gap = true;
            }
        }
        return out.toString();
    }

    static String simplifyUnicode(String s) {
        String t = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
        return SEPARATORS.matcher(APOSTROPHES.matcher(t).replaceAll("")).replaceAll(" ").strip();
    }

    private static List<String> tokens(String s) {
        String t = simplify(s);
        return t.isEmpty() ? List.of() : Arrays.asList(t.split(" "));
    }

    static String normalisePostcode(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT).replaceAll("\\s", "");
    }

    /** Postcodes found in the person's postal addresses, normalised. */
    static Set<String> postcodes(Person p) {
        Set<String> out = new LinkedHashSet<>();
        for (ContactDetail c : p.contactDetails()) {
            if (c.method() == ContactDetail.Method.POSTAL_ADDRESS && c.value() != null) {
                Matcher m = POSTCODE.matcher(c.value().toUpperCase(Locale.ROOT));
                while (m.find()) {
                    out.add(m.group(1) + m.group(2));
                }
            }
        }
        return out;
    }

    /**
     * Whether the edit distance (Damerau-Levenshtein, optimal string alignment) is exactly 1 - one
     * substitution, insertion, deletion or adjacent swap turns one into the other - found in one pass
     * instead of by filling the distance table (the test checks it against the table).
     */
    static boolean oneEditApart(String a, String b) {
        int la = a.length();
        int lb = b.length();
        if (Math.abs(la - lb) > 1) {
            return false;
        }
        if (la == lb) {
            int i = 0;
            while (i < la && a.charAt(i) == b.charAt(i)) {
                i++;
            }
            if (i == la) {
                return false; // the same: no edit at all
            }
            if (a.regionMatches(i + 1, b, i + 1, la - i - 1)) {
                return true; // one substitution
            }
            return i + 1 < la && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
                    && a.regionMatches(i + 2, b, i + 2, la - i - 2); // one adjacent swap
        }
        String shorter = la < lb ? a : b;
        String longer = la < lb ? b : a;
        int i = 0;
        while (i < shorter.length() && shorter.charAt(i) == longer.charAt(i)) {
            i++;
        }
        return shorter.regionMatches(i, longer, i + 1, shorter.length() - i); // one insertion
    }

    /** Jaro-Winkler similarity (prefix scale 0.1, at most 4 prefix characters). */
    static double jaroWinkler(String a, String b) {
        if (a.equals(b)) {
            return 1.0;
        }
        int la = a.length();
        int lb = b.length();
        if (la == 0 || lb == 0) {
            return 0;
        }
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        boolean[] ma = new boolean[la];
        boolean[] mb = new boolean[lb];
        int matches = 0;
        for (int i = 0; i < la; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!mb[j] && a.charAt(i) == b.charAt(j)) {
                    ma[i] = true;
                    mb[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int transpositions = 0;
        int k = 0;
        for (int i = 0; i < la; i++) {
            if (ma[i]) {
                while (!mb[k]) {
                    k++;
                }
                if (a.charAt(i) != b.charAt(k)) {
                    transpositions++;
                }
                k++;
            }
        }
        double m = matches;
        double jaro = (m / la + m / lb + (m - transpositions / 2.0) / m) / 3.0;
        int prefix = 0;
        for (int i = 0; i < Math.min(4, Math.min(la, lb)) && a.charAt(i) == b.charAt(i); i++) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}

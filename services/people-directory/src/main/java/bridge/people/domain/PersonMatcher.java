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
 *                                   searches without a given name)
     * Every name of the person (preferred and other names) contributes. A search asks the same keys for
     * its names both ways round and for every date its date of birth may have been mistyped as.
     */

    /** The prefix of the keys of the date of birth alone (the blocks whose entries carry the names). */
    public static final String DATE_OF_BIRTH_KEY = "dob:";

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
                initial(n.familyName()).ifPresent(f -> {
                    keys.add("m1:" + f + "|" + md);
                    initial(n.givenNames()).ifPresent(g -> keys.add("mi:" + f + g + "|" + md));
                });
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
        Set<String> keys = new LinkedHashSet<>();
        Set<String> family = new LinkedHashSet<>();
        for (String t : tokens(q.familyName())) {
            family.addAll(phonetic(t));
        }
        Set<String> given = new LinkedHashSet<>();
        for (String t : tokens(q.givenNames())) {
            given.addAll(phonetic(t));
            for (Set<String> group : NICKNAMES) {
                if (group.contains(simplify(t))) {
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
                    keys.add("m1:" + f.get() + "|" + md);
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
        double dob = dobScore(q.dateOfBirth(), candidateDateOfBirth, new ArrayList<>());
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
     * {@link #mayReachThreshold(Query, LocalDate, boolean)}, and where the entry carries the names, whether
     * those names with that date could reach the threshold: the score of the names and date themselves,
     * which the record's gender can only lower and its postcode (when the caller may use it) raise by the
     * bonus at most. Lets the blocking step drop the people of a date-of-birth block (all born that day,
     * so the date alone keeps them all) whose names rule them out, without reading their records.
     */
    public static boolean mayReachThreshold(Query q, Indexed entry, boolean mayUsePostcode) {
        if (!mayReachThreshold(q, entry.dateOfBirth(), mayUsePostcode)) {
            return false;
        }
        if (entry.names().isEmpty()) {
            return true;
        }
        if (!familyNameMayAgree(q, entry.names())) {
            return false;
        }
        double best = score(q, entry.names(), entry.dateOfBirth(), null, null, false).score();
        if (mayUsePostcode && q.postcode() != null && !q.postcode().isBlank()) {
            best += POSTCODE_BONUS;
        }
        return best >= DEFAULT_THRESHOLD - 0.0005;
    }

    /*
     * Whether some name's family name scores above zero against the query's family name, or against its
     * given names (the names-swapped reading). Without that the names score at most W_GIVEN (0.25; 0.225
     * swapped), and the best date at most brings 0.65, 0.77 with the postcode bonus - below the
     * threshold whatever the rest: the cheap half of the name bound, tried first.
     */
    private static boolean familyNameMayAgree(Query q, List<PersonName> names) {
        List<String> unused = new ArrayList<>(2);
        for (PersonName n : names) {
            if (fieldScore(q.familyName(), n.familyName(), "", unused, "", "", false) > 0
                    || fieldScore(q.givenNames(), n.familyName(), "", unused, "", "", false) > 0) {
                return true;
            }
            unused.clear();
        }
        return false;
    }

    // ---- scoring --------------------------------------------------------------------------

    /**
     * Scores a candidate. {@code mayUseContact}: whether the caller may see the candidate's contact
     * details; without it the postcode is not compared (a "postcode match" reason would reveal where
     * the person lives).
     */
    public static Match score(Query q, Person p, boolean mayUseContact) {
        List<PersonName> names = new ArrayList<>();
        names.add(p.preferredName());
        names.addAll(p.otherNames());
        return score(q, names, p.dateOfBirth(), p.gender(), p, mayUseContact);
    }

    /** {@link #score(Query, Person, boolean)} of these names (preferred first) and date; {@code p} for the postcode only. */
    private static Match score(Query q, List<PersonName> names, LocalDate dateOfBirth, Gender gender, Person p,
                               boolean mayUseContact) {
        List<String> reasons = new ArrayList<>();
        NameScore best = null;
        for (int i = 0; i < names.size(); i++) {
            PersonName n = names.get(i);
            if (n == null) {
                continue;
            }
            NameScore s = nameScore(q.givenNames(), q.familyName(), n, i > 0, false);
            NameScore swapped = nameScore(q.familyName(), q.givenNames(), n, i > 0, true);
            if (swapped.value() * 0.9 > s.value()) {
                s = new NameScore(swapped.value() * 0.9, swapped.givenKnown(), swapped.reasons());
            }
            if (best == null || s.value() > best.value()) {
                best = s;
            }
        }
        if (best == null) {
            return new Match(0, List.of());
        }
        reasons.addAll(best.reasons());
        double score;
        double dob = dobScore(q.dateOfBirth(), dateOfBirth, reasons);
        double nameWeight = W_FAMILY + (best.givenKnown() ? W_GIVEN : 0);
        if (Double.isNaN(dob)) {
            score = best.value() / nameWeight * NO_DOB_FACTOR;
            reasons.add("date of birth not compared (missing)");
        } else {
            score = (best.value() + W_DOB * dob) / (nameWeight + W_DOB);
            if (!best.givenKnown()) {
                // family name and date of birth alone: only a (near) exact pair is enough
                score *= NO_GIVEN_FACTOR;
            }
        }
        if (q.gender() != null && gender != null) {
            if (q.gender() != gender) {
                score *= GENDER_MISMATCH_FACTOR;
                reasons.add("gender differs");
            } else {
                reasons.add("gender matches");
            }
        }
        if (mayUseContact && p != null && q.postcode() != null && !q.postcode().isBlank()) {
            String wanted = normalisePostcode(q.postcode());
            if (postcodes(p).contains(wanted)) {
                score = Math.min(1.0, score + POSTCODE_BONUS);
                reasons.add("postcode match");
            }
        }
        return new Match(Math.round(score * 1000) / 1000.0, reasons);
    }

    private record NameScore(double value, boolean givenKnown, List<String> reasons) {
    }

    /** Weighted family + given score (weights W_FAMILY, W_GIVEN); given left out when the query has none. */
    private static NameScore nameScore(String qGiven, String qFamily, PersonName n, boolean alias, boolean swapped) {
        List<String> reasons = new ArrayList<>();
        String prefix = swapped ? "names swapped: " : "";
        String suffix = alias ? " (other name)" : "";
        double f = fieldScore(qFamily, n.familyName(), "family name", reasons, prefix, suffix, false);
        boolean givenKnown = qGiven != null && !qGiven.isBlank();
        double g = 0;
        if (givenKnown) {
            g = fieldScore(firstToken(qGiven), firstToken(n.givenNames()), "given name", reasons, prefix, suffix, true);
        }
        return new NameScore(W_FAMILY * f + (givenKnown ? W_GIVEN * g : 0), givenKnown, reasons);
    }

    private static double fieldScore(String query, String candidate, String what, List<String> reasons,
                                     String prefix, String suffix, boolean given) {
        String a = simplify(query);
        String b = simplify(candidate);
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        if (a.equals(b)) {
            reasons.add(prefix + what + " exact match" + suffix);
            return 1.0;
        }
        if (given && nicknames(a, b)) {
            reasons.add(prefix + what + " nickname match" + suffix);
            return 0.9;
        }
        double jw = jaroWinkler(a, b);
        boolean phon = phoneticMatch(a, b);
        if (phon && jw >= 0.8) {
            reasons.add(prefix + what + " phonetic match" + suffix);
            return Math.max(0.9, jw * 0.95);
        }
        if (jw >= 0.9) {
            reasons.add(prefix + what + " similar spelling (Jaro-Winkler " + String.format(Locale.ROOT, "%.2f", jw) + ")" + suffix);
            return jw * 0.95;
        }
        if (phon) {
            reasons.add(prefix + what + " phonetic match" + suffix);
            return 0.8;
        }
        // the distance is at least the difference in length: most pairs need no table
        if (Math.min(a.length(), b.length()) >= 3 && Math.abs(a.length() - b.length()) <= 1 && editDistance(a, b) == 1) {
            reasons.add(prefix + what + " one letter different" + suffix);
            return Math.min(a.length(), b.length()) >= 4 ? 0.85 : 0.7;
        }
        if (given && jw >= 0.8) {
            reasons.add(prefix + what + " partly similar (Jaro-Winkler " + String.format(Locale.ROOT, "%.2f", jw) + ")" + suffix);
            return jw * 0.7;
        }
        if (given && (a.length() == 1 || b.length() == 1) && a.charAt(0) == b.charAt(0)) {
            reasons.add(prefix + what + " initial matches" + suffix);
            return 0.6;
        }
        // compound names: one token of a double-barrelled name equals the other name
        if (!given) {
            for (String t : simplify(candidate).split(" ")) {
                for (String u : a.split(" ")) {
                    if (t.equals(u) && t.length() > 1) {
                        reasons.add(prefix + what + " part match" + suffix);
                        return 0.85;
                    }
                }
            }
        }
        return 0;
    }

    /** NaN when either date is missing; otherwise 1 exact, 0.85 day/month swapped, 0.8 one digit wrong, else 0. */
    static double dobScore(LocalDate q, LocalDate c, List<String> reasons) {
        if (q == null || c == null) {
            return Double.NaN;
        }
        if (q.equals(c)) {
            reasons.add("date of birth exact match");
            return 1.0;
        }
        if (swapped(q).filter(c::equals).isPresent()) {
            reasons.add("date of birth day/month swapped");
            return 0.85;
        }
        if (q.getMonthValue() == c.getMonthValue() && q.getDayOfMonth() == c.getDayOfMonth()
                && digitsDiffer(q.getYear(), c.getYear(), 4) == 1) {
            reasons.add("date of birth year differs by one digit");
            return 0.8;
        }
        if (q.getYear() == c.getYear()
                && digitsDiffer(q.getDayOfMonth() * 100 + q.getMonthValue(), c.getDayOfMonth() * 100 + c.getMonthValue(), 4) == 1) {
            reasons.add("date of birth day or month differs by one digit");
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

    private static boolean nicknames(String a, String b) {
        for (Set<String> group : NICKNAMES) {
            if (group.contains(a) && group.contains(b)) {
                return true;
            }
        }
        return false;
    }

    static boolean phoneticMatch(String a, String b) {
        Set<String> pa = new LinkedHashSet<>();
        for (String t : a.split(" ")) {
            pa.addAll(phonetic(t, METAPHONE_FULL));
        }
        for (String t : b.split(" ")) {
            for (String c : phonetic(t, METAPHONE_FULL)) {
                if (pa.contains(c)) {
                    return true;
                }
            }
        }
        return false;
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

    private static String firstToken(String s) {
        List<String> t = tokens(s);
        return t.isEmpty() ? "" : t.get(0);
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

    /** Damerau-Levenshtein (optimal string alignment) distance: insertions, deletions, substitutions, adjacent swaps. */
    static int editDistance(String a, String b) {
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

package bridge.people.domain;

import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A labelled synthetic set for measuring the matcher: a directory of made-up people and queries
 * describing some of them the way a worker would - with typos, nicknames, aliases, day and month
 * swapped, a wrong year digit, missing fields - each labelled with the person meant (or none, for
 * people who are not in the directory). Deterministic for a given seed. No real person's data.
 */
public final class SyntheticPeople {

    static final String[] FEMALE = {"Olivia", "Amelia", "Isla", "Ava", "Mia", "Sophie", "Grace", "Lily", "Emily",
            "Ella", "Chloe", "Jessica", "Hannah", "Lucy", "Rebecca", "Katherine", "Elizabeth", "Margaret", "Susan",
            "Patricia", "Jennifer", "Samantha", "Victoria", "Deborah", "Christine", "Siobhan", "Aisha", "Priya",
            "Fatima", "Zainab", "Nia", "Megan", "Rhiannon", "Eilidh", "Morag", "Kirsty", "Gemma", "Leanne", "Donna",
            "Tracey", "Julie", "Karen", "Angela", "Joanne", "Nicola", "Claire", "Sarah", "Laura", "Amy", "Zoe",
            "Frances", "Agnieszka", "Ewa", "Oksana", "Maryam", "Roisin", "Aoife", "Niamh", "Shannon", "Jade"};
    static final String[] MALE = {"Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas",
            "William", "James", "Robert", "Richard", "Michael", "David", "Daniel", "Christopher", "Anthony",
            "Joseph", "Stephen", "Samuel", "Edward", "Andrew", "Nicholas", "Matthew", "Peter", "Benjamin",
            "Charles", "Francis", "Jonathan", "Alexander", "Mohammed", "Ahmed", "Imran", "Tariq", "Kwame",
            "Dwayne", "Liam", "Connor", "Callum", "Declan", "Ciaran", "Rhys", "Dylan", "Gareth", "Craig",
            "Darren", "Wayne", "Lee", "Dean", "Scott", "Gary", "Kevin", "Paul", "Mark", "Neil", "Piotr",
            "Tomasz", "Marek", "Bogdan", "Ionut"};
    static final String[] FAMILY = {"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
            "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
            "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper",
            "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
            "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
            "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
            "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
            "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
            "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
            "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
            "MacDonald", "McLeod", "Fraser", "Stewart", "Reid", "Ross", "Paterson", "Kowalski", "Nowak",
            "Wisniewski", "O'Brien", "O'Neill", "Gallagher", "Doherty", "Okafor", "Mensah", "Osei", "Nguyen",
            "Chen", "Wong", "Ahmed", "Rahman", "Chowdhury", "Sharma", "Kaur", "Gill", "Fitzgerald", "Fitzpatrick",
            "Featherstone", "Ashworth", "Hargreaves", "Sutcliffe", "Pemberton", "Whitworth", "Cartwright",
            "Lindqvist", "Popescu", "Ionescu", "Kovacs", "Horvath", "Novak", "Petrov", "Ivanova", "Silva"};
    static final String[][] NICK = {{"Alexander", "Alex"}, {"Robert", "Bob"}, {"William", "Bill"},
            {"Richard", "Rick"}, {"Elizabeth", "Liz"}, {"Margaret", "Maggie"}, {"James", "Jim"},
            {"Michael", "Mike"}, {"Thomas", "Tom"}, {"Jonathan", "Jon"}, {"Katherine", "Kate"},
            {"Daniel", "Danny"}, {"Christopher", "Chris"}, {"Anthony", "Tony"}, {"Joseph", "Joe"},
            {"Stephen", "Steve"}, {"Samuel", "Sam"}, {"Samantha", "Sam"}, {"Rebecca", "Becky"},
            {"Jennifer", "Jenny"}, {"Patricia", "Trish"}, {"Edward", "Ted"}, {"David", "Dave"},
            {"Andrew", "Andy"}, {"Susan", "Sue"}, {"Victoria", "Vicky"}, {"Nicholas", "Nick"},
            {"Matthew", "Matt"}, {"Peter", "Pete"}, {"Benjamin", "Ben"}, {"Charles", "Charlie"},
            {"Deborah", "Debbie"}, {"Francis", "Frank"}, {"Christine", "Tina"}};

    /** A query and the person it describes ({@code null}: nobody in the directory). */
    public record Labelled(PersonMatcher.Query query, String expectedId, String noise) {
    }

    public record Set(List<Person> directory, List<Labelled> queries) {
    }

    private final Random random;
    private final Names names;

    /** Names drawn uniformly from the short lists above (the labelled set the matcher is tuned on). */
    public SyntheticPeople(long seed) {
        this(seed, Names.UNIFORM);
    }

    public SyntheticPeople(long seed, Names names) {
        this.random = new Random(seed);
        this.names = names;
    }

    /**
     * Where names come from. {@link #UNIFORM}: each of the 120 given and 170 family names above equally
     * often, so at 1M people every name pair is shared by ~50 people. {@link #REALISTIC}: skewed as real
     * populations are ({@link RealisticNames}).
     */
    public enum Names {
        UNIFORM, REALISTIC
    }

    public Set generate(int people, int queriesOfKnown, int queriesOfUnknown) {
        List<Person> directory = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            directory.add(person(String.format("p%07d", i)));
        }
        List<Labelled> queries = new ArrayList<>();
        for (int i = 0; i < queriesOfKnown; i++) {
            Person p = directory.get(random.nextInt(directory.size()));
            queries.add(noisy(p));
        }
        for (int i = 0; i < queriesOfUnknown; i++) {
            Person stranger = person("x" + i);
            Labelled l = noisy(stranger);
            queries.add(new Labelled(l.query(), null, "not in directory; " + l.noise()));
        }
        return new Set(directory, queries);
    }

    /** A synthetic person under this id (the scale benchmark's generator). */
    public Person newPerson(String id) {
        return person(id);
    }

    /** A noisy query describing this person (typos, nicknames, other names, swapped dates, ...). */
    public Labelled noisyQuery(Person p) {
        return noisy(p);
    }

    Person person(String id) {
        boolean female = random.nextBoolean();
        String given = given(female);
        if (random.nextInt(5) == 0) {
            given = given + " " + given(female); // a middle name
        }
        String family = family();
        if (random.nextInt(30) == 0) {
            family = family + "-" + family();
        }
        List<PersonName> other = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            other.add(new PersonName(given.split(" ")[0], family())); // previous (e.g. maiden) name
        }
        if (random.nextInt(10) == 0) {
            other.add(new PersonName(given(female), family)); // alias given name
        }
        LocalDate dob = random.nextInt(40) == 0 ? null
                : LocalDate.of(1945, 1, 1).plusDays(random.nextInt(365 * 62));
        Gender gender = random.nextInt(10) == 0 ? null : female ? Gender.FEMALE : Gender.MALE;
        List<ContactDetail> contacts = random.nextInt(3) == 0 ? List.of()
                : List.of(new ContactDetail(ContactDetail.Method.POSTAL_ADDRESS,
                        (1 + random.nextInt(200)) + " High Street, " + postcode(), true, true));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Person(id, List.of(), new PersonName(given, family), other, dob, contacts, List.of(),
                new Actor("gen", "synthetic", AgencyType.TREATMENT), now, now, 1, gender);
    }

    private String postcode() {
        String[] areas = {"LS", "M", "B", "G", "EH", "CF", "L", "S", "NE", "BD"};
        return pick(areas) + (1 + random.nextInt(20)) + " " + random.nextInt(10)
                + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
    }

    Labelled noisy(Person p) {
        List<String> noise = new ArrayList<>();
        PersonName name = p.preferredName();
        if (!p.otherNames().isEmpty() && random.nextInt(100) < 15) {
            name = p.otherNames().get(random.nextInt(p.otherNames().size()));
            noise.add("other name");
        }
        String given = name.givenNames().split(" ")[0];
        String family = name.familyName();
        int r = random.nextInt(100);
        if (r < 10) {
            String nick = nickname(given);
            if (nick != null) {
                given = nick;
                noise.add("nickname");
            }
        } else if (r < 25) {
            given = typo(given);
            noise.add("given typo");
        } else if (r < 30) {
            given = null;
            noise.add("no given name");
        }
        if (random.nextInt(100) < 20) {
            family = typo(family);
            noise.add("family typo");
        }
        if (random.nextInt(100) < 5) {
            family = family.toUpperCase();
            given = given == null ? null : given.toLowerCase();
            noise.add("case");
        }
        LocalDate dob = p.dateOfBirth();
        int d = random.nextInt(100);
        if (dob != null) {
            if (d < 8 && dob.getDayOfMonth() <= 12 && dob.getDayOfMonth() != dob.getMonthValue()) {
                dob = LocalDate.of(dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue());
                noise.add("day/month swapped");
            } else if (d < 16) {
                List<LocalDate> typos = PersonMatcher.yearTypos(dob).stream()
                        .filter(x -> x.getYear() >= 1930 && x.getYear() <= 2010).toList();
                if (!typos.isEmpty()) {
                    dob = typos.get(random.nextInt(typos.size()));
                    noise.add("year typo");
                }
            } else if (d < 21) {
                dob = null;
                noise.add("no date of birth");
            }
        }
        String postcode = null;
        if (random.nextBoolean()) {
            var codes = PersonMatcher.postcodes(p);
            if (!codes.isEmpty()) {
                postcode = codes.iterator().next();
            }
        }
        Gender gender = random.nextInt(10) < 7 ? p.gender() : null;
        return new Labelled(new PersonMatcher.Query(given, family, dob, postcode, gender), p.id(), String.join(", ", noise));
    }

    private String nickname(String given) {
        for (String[] pair : NICK) {
            if (pair[0].equals(given)) {
                return pair[1];
            }
            if (pair[1].equals(given)) {
                return pair[0];
            }
        }
        return null;
    }

    /** One keyboard slip: substitution, deletion, insertion or transposition (not the first letter). */
    String typo(String s) {
        if (s.length() < 4) {
            return s;
        }
        int i = 1 + random.nextInt(s.length() - 2);
        char c = (char) ('a' + random.nextInt(26));
        return switch (random.nextInt(4)) {
            case 0 -> s.substring(0, i) + c + s.substring(i + 1);
            case 1 -> s.substring(0, i) + s.substring(i + 1);
            case 2 -> s.substring(0, i) + c + s.substring(i);
            default -> s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);
        };
    }

    private String given(boolean female) {
        return names == Names.UNIFORM ? pick(female ? FEMALE : MALE) : RealisticNames.given(female, random);
    }

    private String family() {
        return names == Names.UNIFORM ? pick(FAMILY) : RealisticNames.family(random);
    }

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }
}

package bridge.people.domain;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Registering and reading people.
 *
 * <p>Visibility: the agency that registered a person sees its own record whole. Any other agency
 * sees it only under the consent service's decisions for this purpose: without IDENTITY it is told
 * "not found", exactly as for a person who does not exist, so existence itself does not leak;
 * without CONTACT the contact details are withheld; each care-team entry is shown only when the
 * categories it reveals are allowed (see {@link CareTeamCategories}). Withheld categories are named
 * in the answer, never their content. The PLATFORM agency sees no personal data.
 */
public final class PeopleDirectory {

    private final PersonRepository people;
    private final ConsentDecisions decisions;
    private final Clock clock;
    private final Supplier<String> ids;

    private final boolean duplicateCheck;

    public PeopleDirectory(PersonRepository people, ConsentDecisions decisions, Clock clock, Supplier<String> ids) {
        this(people, decisions, clock, ids, false);
    }

    /**
     * @param duplicateCheck whether registration looks for likely duplicates first (see
     *                       {@link #register(Caller, NewPerson, String, Violations, boolean)})
     */
    public PeopleDirectory(PersonRepository people, ConsentDecisions decisions, Clock clock, Supplier<String> ids,
                           boolean duplicateCheck) {
        this.people = people;
        this.decisions = decisions;
        this.clock = clock;
        this.ids = ids;
        this.duplicateCheck = duplicateCheck;
    }

    public Person register(Caller caller, NewPerson request, String requestId) {
        return register(caller, request, requestId, new Violations());
    }

    /**
     * Registers a person; {@code mappingViolations} holds what the adapter already found (e.g. an
     * impossible date) so that the caller hears of every problem at once.
     */
    public Person register(Caller caller, NewPerson request, String requestId, Violations mappingViolations) {
        return register(caller, request, requestId, mappingViolations, true);
    }

    /**
     * Registers a person, looking for likely duplicates first when the check is on and the caller
     * has not confirmed a new person.
     *
     * <p>How a registration meets an existing record, decided so that nothing leaks:
     * <ul>
     *   <li>Candidates are the holders of the same NHS or CHI number (strong identifiers) and people
     *   the {@link PersonMatcher} scores at or above its threshold (postcode not used).</li>
     *   <li>Candidates the caller may see (its own registrations, or under an IDENTITY decision, the
     *   rule of GetPerson) refuse the registration with ALREADY_EXISTS naming them by resource name
     *   only; {@code confirmNewPerson} overrides.</li>
     *   <li>Candidates the caller may not see are never mentioned: the person is registered as asked,
     *   the response is exactly that of any registration, and each such candidate is queued for a
     *   data steward to review (kind STRONG_IDENTIFIER: the same NHS/CHI number, to be linked and
     *   merged; FUZZY: a probable match). The caller learns nothing it could not learn by
     *   registering someone new.</li>
     * </ul>
     * A retry with the same request_id returns the first result before any of this.
     */
    public Person register(Caller caller, NewPerson request, String requestId, Violations mappingViolations,
                           boolean confirmNewPerson) {
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA",
                    "platform operators cannot register or read people");
        }
        Violations v = mappingViolations;
        PersonRules.validate(request, LocalDate.now(clock), "person", v);
        if (requestId != null && requestId.length() > 128) {
            v.add("request_id", "at most 128 characters");
        }
        v.throwIfAny();
        // stored with millisecond precision: what we return must equal what a later read returns
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String id = ids.get();
        List<Identifier> identifiers = request.identifiers().stream()
                .map(i -> new Identifier(i.type(), IdentifierRules.normalise(i.type(), i.value()),
                        i.type() == IdentifierType.AGENCY_CASE_REFERENCE
                                && (i.issuingAgency() == null || i.issuingAgency().isBlank())
                                ? caller.agency() : nullToEmpty(i.issuingAgency())))
                .toList();
        Person person = new Person(id, identifiers, request.preferredName(), request.otherNames(),
                request.dateOfBirth(), request.contactDetails(),
                List.of(new CareTeamMember(caller.agency(), caller.agencyType(), "registering agency", "", now)),
                Actor.of(caller), now, now, 1, request.gender());
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        if (!duplicateCheck || confirmNewPerson) {
            return people.insertOnce(person, key);
        }
        Optional<Person> retried = people.findByIdempotencyKey(key);
        if (retried.isPresent()) {
            return retried.get();
        }
        Map<String, Suspect> suspects = new LinkedHashMap<>();
        for (Identifier i : identifiers) {
            if (i.type() == IdentifierType.NHS_NUMBER || i.type() == IdentifierType.CHI_NUMBER) {
                for (Person p : people.findByIdentifier(i.type(), i.value())) {
                    suspects.putIfAbsent(p.id(), new Suspect(p, "STRONG_IDENTIFIER", 1.0));
                }
            }
        }
        if (person.preferredName() != null) {
            PersonMatcher.Query q = new PersonMatcher.Query(person.preferredName().givenNames(),
                    person.preferredName().familyName(), person.dateOfBirth(), null, person.gender());
            for (Person p : people.findByMatchKeys(PersonMatcher.queryKeys(q), MAX_BLOCK)) {
                double score = PersonMatcher.score(q, p, false).score();
                if (score >= PersonMatcher.DEFAULT_THRESHOLD) {
                    suspects.putIfAbsent(p.id(), new Suspect(p, "FUZZY", score));
                }
            }
        }
        List<String> visible = new ArrayList<>();
        List<Suspect> hidden = new ArrayList<>();
        int asked = 0;
        for (Suspect s : suspects.values()) {
            if (asked++ >= MAX_DECISIONS) {
                break;
            }
            if (visibleTo(caller, s.person(), Purpose.DIRECT_SUPPORT).isPresent()) {
                visible.add("people/" + s.person().id());
            } else {
                hidden.add(s);
            }
        }
        if (!visible.isEmpty()) {
            throw new LikelyDuplicateException(visible.stream().sorted().toList());
        }
        Person stored = people.insertOnce(person, key);
        if (stored.id().equals(id)) {
            for (Suspect s : hidden) {
                people.queueDuplicateReview(id, s.person().id(), s.kind(), s.score(), caller.agency());
            }
        }
        return stored;
    }

    public PersonView get(Caller caller, String id, Purpose purpose) {
        if (caller.isPlatform()) {
            throw notFound(id);
        }
        Person p = people.findById(id).orElseThrow(() -> notFound(id));
        return visibleTo(caller, p, purpose).orElseThrow(() -> notFound(id));
    }

    /**
     * The one visibility rule of the directory, used by get, lookup and search: the registering
     * agency sees its record whole; anyone else only under an IDENTITY decision (else empty), with
     * contact details and care-team entries filtered by their categories.
     */
    Optional<PersonView> visibleTo(Caller caller, Person p, Purpose purpose) {
        if (caller.isPlatform()) {
            return Optional.empty();
        }
        if (p.registeredBy().agency().equals(caller.agency())) {
            return Optional.of(new PersonView(p, Set.of()));
        }
        Set<DataCategory> asked = EnumSet.of(DataCategory.IDENTITY, DataCategory.CONTACT);
        for (CareTeamMember m : p.careTeam()) {
            if (!m.agency().equals(caller.agency())) {
                asked.addAll(CareTeamCategories.revealedBy(m.agencyType()));
            }
        }
        Decisions d = decisions.decide(p.id(), asked, purpose);
        if (!d.allows(DataCategory.IDENTITY)) {
            return Optional.empty();
        }
        List<CareTeamMember> team = p.careTeam().stream()
                .filter(m -> m.agency().equals(caller.agency())
                        || CareTeamCategories.revealedBy(m.agencyType()).stream().allMatch(d::allows))
                .toList();
        boolean registrarVisible = team.stream().anyMatch(m -> m.agency().equals(p.registeredBy().agency()));
        Person visible = new Person(p.id(), p.identifiers(), p.preferredName(), p.otherNames(), p.dateOfBirth(),
                d.allows(DataCategory.CONTACT) ? p.contactDetails() : List.of(), team,
                registrarVisible ? p.registeredBy() : null, p.createdAt(), p.updatedAt(), p.version(), p.gender());
        return Optional.of(new PersonView(visible, d.withheld()));
    }

    /**
     * Exact lookup by identifier, normalised as on registration. Several records may hold the same
     * identifier (duplicates awaiting merge): the first the caller may see, by id, is returned. When
     * the caller may see none, "not found", exactly as for an identifier nobody holds.
     */
    public PersonView lookup(Caller caller, IdentifierType type, String value, String issuingAgency, Purpose purpose) {
        Violations v = new Violations();
        String normalised = null;
        if (type == null) {
            v.add("identifier.type", "is required");
        } else if (value == null || value.isBlank()) {
            v.add("identifier.value", "is required");
        } else if (value.length() > 100) {
            v.add("identifier.value", "at most 100 characters");
        } else {
            normalised = IdentifierRules.normalise(type, value);
            IdentifierRules.brokenRule(type, normalised).ifPresent(rule -> v.add("identifier.value", type + ": " + rule));
        }
        v.throwIfAny();
        NotFoundException notFound = new NotFoundException("PERSON_NOT_FOUND", "no person found with this identifier");
        if (caller.isPlatform()) {
            throw notFound;
        }
        String agency = type == IdentifierType.AGENCY_CASE_REFERENCE
                ? (issuingAgency == null || issuingAgency.isBlank() ? caller.agency() : issuingAgency) : null;
        for (Person p : people.findByIdentifier(type, normalised)) {
            String wanted = normalised;
            if (agency != null && p.identifiers().stream().noneMatch(i -> i.type() == type
                    && i.value().equals(wanted) && agency.equals(i.issuingAgency()))) {
                continue; // another agency's case reference that happens to read the same
            }
            Optional<PersonView> seen = visibleTo(caller, p, purpose);
            if (seen.isPresent()) {
                return seen.get();
            }
        }
        throw notFound;
    }

    /** A ranked candidate of a search: the person as the caller may see them, score and reasons. */
    public record Candidate(PersonView person, double score, List<String> reasons) {
    }

    static final int MAX_PAGE_SIZE = 50;
    static final int DEFAULT_PAGE_SIZE = 10;
    /** Candidates fetched by blocking keys, and at most how many decisions one search may ask for. */
    static final int MAX_BLOCK = 2000;
    static final int MAX_DECISIONS = 100;

    /**
     * Probabilistic search (see {@link PersonMatcher}) across the whole directory.
     *
     * <p>Nothing leaks through matching: every candidate above the threshold goes through
     * {@link #visibleTo} - the same rule as GetPerson, one consent decision per candidate from another
     * agency - and a candidate the caller may not see is dropped without trace: it is not counted,
     * not hinted at, and does not change the order or the scores of the others. The postcode is only
     * compared where the caller may see the candidate's CONTACT details. At most
     * {@value #MAX_DECISIONS} decisions are asked per search; candidates beyond that are not returned.
     */
    public List<Candidate> search(Caller caller, PersonMatcher.Query query, int pageSize, Purpose purpose) {
        Violations v = new Violations();
        searchText(query.familyName(), "family_name", true, v);
        searchText(query.givenNames(), "given_names", false, v);
        if (query.postcode() != null && query.postcode().length() > 10) {
            v.add("postcode", "at most 10 characters");
        }
        if (query.dateOfBirth() != null && query.dateOfBirth().isAfter(LocalDate.now(clock))) {
            v.add("date_of_birth", "is in the future");
        }
        if (pageSize < 0) {
            v.add("page_size", "must not be negative");
        }
        v.throwIfAny();
        if (caller.isPlatform()) {
            throw new PermissionDeniedException("PLATFORM_SEES_NO_PERSONAL_DATA", "platform operators cannot search people");
        }
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
        record Scored(Person p, PersonMatcher.Match m) {
        }
        List<Scored> ranked = new ArrayList<>();
        for (Person p : people.findByMatchKeys(PersonMatcher.queryKeys(query), MAX_BLOCK)) {
            // the best the candidate could reach with the postcode; confirmed after the decision
            PersonMatcher.Match m = PersonMatcher.score(query, p, true);
            if (m.score() >= PersonMatcher.DEFAULT_THRESHOLD) {
                ranked.add(new Scored(p, m));
            }
        }
        ranked.sort(Comparator.comparingDouble((Scored s) -> -s.m().score()).thenComparing(s -> s.p().id()));
        List<Candidate> out = new ArrayList<>();
        int asked = 0;
        for (Scored s : ranked) {
            if (out.size() >= size || asked >= MAX_DECISIONS) {
                break;
            }
            if (!s.p().registeredBy().agency().equals(caller.agency())) {
                asked++;
            }
            Optional<PersonView> seen = visibleTo(caller, s.p(), purpose);
            if (seen.isEmpty()) {
                continue;
            }
            boolean contact = !seen.get().withheld().contains(DataCategory.CONTACT);
            PersonMatcher.Match m = contact ? s.m() : PersonMatcher.score(query, s.p(), false);
            if (m.score() >= PersonMatcher.DEFAULT_THRESHOLD) {
                out.add(new Candidate(seen.get(), m.score(), m.reasons()));
            }
        }
        out.sort(Comparator.comparingDouble((Candidate c) -> -c.score()).thenComparing(c -> c.person().person().id()));
        return out;
    }

    private static void searchText(String s, String field, boolean required, Violations v) {
        if (s == null || s.isEmpty()) {
            if (required) {
                v.add(field, "is required");
            }
        } else if (s.isBlank()) {
            v.add(field, "must not be only whitespace");
        } else if (s.length() > PersonRules.MAX_NAME_LENGTH) {
            v.add(field, "at most " + PersonRules.MAX_NAME_LENGTH + " characters");
        } else if (s.chars().anyMatch(Character::isISOControl)) {
            v.add(field, "must not contain control characters");
        }
    }

    private record Suspect(Person person, String kind, double score) {
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("PERSON_NOT_FOUND", "people/" + id + " not found");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

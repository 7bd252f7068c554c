package bridge.people.domain;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
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
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Registering and reading people.
 *
 * <p>Visibility is one rule, {@link PersonViews}: without an IDENTITY decision (or its own registration
 * or link) a caller is told "not found", exactly as for a person who does not exist; care-team entries
 * are shown only under the categories they reveal. Withheld categories are named, never their content.
 * The PLATFORM agency sees no personal data.
 */
public final class PeopleDirectory {

    private final PersonRepository people;
    private final ConsentDecisions decisions;
    private final Clock clock;
    private final Supplier<String> ids;

    private final boolean duplicateCheck;
    private final PersonViews views;

    public PeopleDirectory(PersonRepository people, ConsentDecisions decisions, Clock clock, Supplier<String> ids) {
        this(people, decisions, clock, ids, true);
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
        this.views = new PersonViews(people, decisions);
    }

    /** The visibility rule, for the other use cases of the directory (care team, stewardship). */
    public PersonViews views() {
        return views;
    }

    public PersonView register(Caller caller, NewPerson request, String requestId) {
        return register(caller, request, requestId, new Violations(), false);
    }

    /** How many times a write that lost an optimistic race is tried again before giving up (ABORTED). */
    static final int WRITE_ATTEMPTS = 5;
    /**
     * An exact strong identifier links only when names and date of birth agree enough not to suggest a
     * typing error in the identifier: the matcher's score without postcode at least this (its search
     * threshold is {@value PersonMatcher#DEFAULT_THRESHOLD}; an exact name without any date of birth
     * scores 0.76).
     */
    static final double CORROBORATION = 0.70;
    /** The role of the registering (or linked) agency's care-team entry until it says otherwise. */
    static final String REGISTERING_ROLE = "registering agency";

    /**
     * Registers a person, unless they are already in the directory (ADR 0007); {@code mappingViolations}
     * holds what the adapter already found (e.g. an impossible date) so that the caller hears of every
     * problem at once. In this order:
     * <ol>
     *   <li>A retry with the same request_id returns the first result.</li>
     *   <li>An exact strong identifier (NHS, CHI, NI, PNC, prison or CRO number) of an existing person,
     *   corroborated by names and date of birth ({@link #CORROBORATION}), links: the caller's agency
     *   joins that person's care team and its registration is kept as its own contribution
     *   ({@link LinkedRegistration}). The answer is the person as the caller may see them; where the
     *   caller may not see the existing record, that is exactly what it registered, shaped exactly
     *   like a new record, so nothing about the existing person is revealed.</li>
     *   <li>Other candidates (a strong identifier the names contradict; matcher score at or above its
     *   threshold, postcode not used) the caller may see refuse the registration with ALREADY_EXISTS
     *   naming them by resource name only, unless {@code confirmNewPerson}.</li>
     *   <li>Candidates the caller may not see are never mentioned: the person is registered as asked
     *   and each is queued for a data steward ({@link DuplicateReview}).</li>
     * </ol>
     */
    public PersonView register(Caller caller, NewPerson request, String requestId, Violations mappingViolations,
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
                List.of(new CareTeamMember(caller.agency(), caller.agencyType(), REGISTERING_ROLE, null, now)),
                Actor.of(caller), now, now, 1, request.gender(), List.of(),
                List.of(new CareTeamEvent(caller.agency(), caller.agencyType(), CareTeamEvent.Kind.JOINED,
                        REGISTERING_ROLE, now, Actor.of(caller), "")), null);
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        if (!duplicateCheck) {
            return views.own(people.insertOnce(person, key), caller);
        }
        PersonMatcher.Query q = new PersonMatcher.Query(person.preferredName().givenNames(),
                person.preferredName().familyName(), person.dateOfBirth(), null, person.gender());
        // prepared once: every index entry and every record the check reads is scored against it
        PersonMatcher.PreparedQuery prepared = PersonMatcher.prepare(q);
        // one read for the retry, the strong identifiers and the fuzzy candidates; a key made of the new
        // record's own id cannot have been used before
        PersonRepository.RegistrationCandidates found = people.findForRegistration(
                requestId == null || requestId.isBlank() ? null : key,
                identifiers.stream().filter(i -> i.type().isStrong()).toList(), PersonMatcher.queryKeys(q),
                e -> PersonMatcher.mayReachThreshold(prepared, e, false), MAX_BLOCK);
        if (found.retried().isPresent()) {
            return views.own(found.retried().get(), caller);
        }
        Map<String, Suspect> suspects = new LinkedHashMap<>();
        List<Person> holders = live(found.identifierHolders());
        // the caller's own record first: a registration meeting a record its agency registered (or is
        // linked to) returns that one, and never links the agency to another record holding the same
        // number (after a steward unlinked it from there, say)
        holders.sort(Comparator.comparing((Person h) -> !ownedBy(h, caller)));
        for (Person holder : holders) {
            double score = PersonMatcher.score(prepared, holder, false).score();
            if (score >= CORROBORATION) {
                return link(caller, holder.id(), person);
            }
            suspects.putIfAbsent(holder.id(), new Suspect(holder, DuplicateReview.Kind.STRONG_IDENTIFIER, score));
        }
        for (Person p : found.matches()) {
            if (p.mergedInto() != null) {
                continue;
            }
            double score = PersonMatcher.score(prepared, p, false).score();
            if (score >= PersonMatcher.DEFAULT_THRESHOLD) {
                suspects.putIfAbsent(p.id(), new Suspect(p, DuplicateReview.Kind.FUZZY, score));
            }
        }
        List<String> visible = new ArrayList<>();
        List<Suspect> hidden = new ArrayList<>();
        int asked = 0;
        for (Suspect s : suspects.values()) {
            if (asked++ >= MAX_DECISIONS) {
                break;
            }
            if (views.visibleTo(caller, s.person(), Purpose.DIRECT_SUPPORT).isPresent()) {
                visible.add("people/" + s.person().id());
            } else {
                hidden.add(s);
            }
        }
        if (!visible.isEmpty() && !confirmNewPerson) {
            throw new LikelyDuplicateException(visible.stream().sorted().toList());
        }
        Person stored = people.insertOnce(person, key);
        if (stored.id().equals(id)) {
            for (Suspect s : hidden) {
                people.queueDuplicateReview(new DuplicateReview(ids.get(), id, s.person().id(),
                        s.kind(), s.score(), caller.agency(), DuplicateReview.State.OPEN, now, ""));
            }
        }
        return views.own(stored, caller);
    }

    private static boolean ownedBy(Person p, Caller caller) {
        return p.registeredBy(caller.agency()) || p.linkOf(caller.agency()).isPresent();
    }

    /** The live records (a merged-away one resolved to its survivor) of these holders, once each, by id. */
    private List<Person> live(List<Person> holders) {
        Map<String, Person> live = new TreeMap<>();
        for (Person p : holders) {
            Person resolved = views.resolve(p);
            if (resolved != null) {
                live.putIfAbsent(resolved.id(), resolved);
            }
        }
        return new ArrayList<>(live.values());
    }

    /**
     * Links the caller's registration to an existing person: its agency joins the care team (once) and
     * what it registered is kept as its contribution. One conditional single-document update; a lost
     * race is tried again on the fresh record.
     */
    private PersonView link(Caller caller, String personId, Person registered) {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Person existing = people.findById(personId).orElseThrow();
            if (existing.registeredBy(caller.agency()) || existing.linkOf(caller.agency()).isPresent()) {
                return views.own(existing, caller); // already its own: nothing to write
            }
            Instant now = registered.createdAt();
            List<CareTeamMember> team = new ArrayList<>(existing.careTeam());
            List<CareTeamEvent> history = new ArrayList<>(existing.careTeamHistory());
            if (!existing.hasCareTeamMember(caller.agency())) {
                team.add(registered.careTeam().get(0));
                history.add(registered.careTeamHistory().get(0));
            }
            List<LinkedRegistration> links = new ArrayList<>(existing.links());
            links.add(new LinkedRegistration(Actor.of(caller), registered.identifiers(), registered.preferredName(),
                    registered.otherNames(), registered.dateOfBirth(), registered.contactDetails(), registered.gender(), now));
            Person updated = existing.with(team, history, links, existing.identifiers(), now);
            if (people.update(updated, existing.version())) {
                return views.own(updated, caller);
            }
        }
        throw new ConflictException("CONCURRENT_UPDATE", "the person changed meanwhile; try again");
    }

    public PersonView get(Caller caller, String id, Purpose purpose) {
        if (caller.isPlatform()) {
            throw notFound(id);
        }
        Person p = people.findById(id).map(views::resolve).orElseThrow(() -> notFound(id));
        return views.visibleTo(caller, p, purpose).orElseThrow(() -> notFound(id));
    }

    /**
     * Exact lookup by identifier, normalised as on registration. Several records may hold the same
     * identifier (duplicates awaiting merge, or a record and the agency's own record split off it by an
     * unlink): the caller's own record first, else the first the caller may see, by id, is returned. When
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
        String wanted = normalised;
        List<Person> live = new ArrayList<>();
        for (Person p : people.findByIdentifier(type, normalised)) {
            Person resolved = views.resolve(p);
            if (resolved != null && live.stream().noneMatch(x -> x.id().equals(resolved.id()))) {
                live.add(resolved);
            }
        }
        // the caller's own record first (its agency registered it or is linked to it), then by id
        live.sort(Comparator.comparing((Person h) -> !ownedBy(h, caller)).thenComparing(Person::id));
        for (Person p : live) {
            // found only by an identifier the caller may see on the record (another agency's case
            // reference that happens to read the same, or one recorded by an agency it may not see, is not)
            Optional<PersonView> seen = views.visibleTo(caller, p, purpose)
                    .filter(view -> view.person().identifiers().stream().anyMatch(i -> i.type() == type
                            && i.value().equals(wanted) && (agency == null || agency.equals(i.issuingAgency()))));
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
     * {@link PersonViews} - the same rule as GetPerson, one consent decision per candidate from another
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
        PersonMatcher.PreparedQuery prepared = PersonMatcher.prepare(query);
        for (Person p : people.findByMatchKeys(PersonMatcher.queryKeys(query),
                e -> PersonMatcher.mayReachThreshold(prepared, e, true), MAX_BLOCK)) {
            if (p.mergedInto() != null) {
                continue;
            }
            // the best the candidate could reach with the postcode; confirmed after the decision
            PersonMatcher.Match m = PersonMatcher.score(prepared, p, true);
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
            Optional<PersonView> seen = views.visibleTo(caller, s.p(), purpose);
            if (seen.isEmpty()) {
                continue;
            }
            // scored again on what the caller sees only: no reason may come from hidden data
            boolean contact = !seen.get().withheld().contains(DataCategory.CONTACT);
            PersonMatcher.Match m = PersonMatcher.score(prepared, seen.get().person(), contact);
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

    private record Suspect(Person person, DuplicateReview.Kind kind, double score) {
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("PERSON_NOT_FOUND", "people/" + id + " not found");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

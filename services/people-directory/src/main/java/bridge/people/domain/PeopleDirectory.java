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
import java.util.EnumSet;
import java.util.List;
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

    public PeopleDirectory(PersonRepository people, ConsentDecisions decisions, Clock clock, Supplier<String> ids) {
        this.people = people;
        this.decisions = decisions;
        this.clock = clock;
        this.ids = ids;
    }

    public Person register(Caller caller, NewPerson request, String requestId) {
        return register(caller, request, requestId, new Violations());
    }

    /**
     * Registers a person; {@code mappingViolations} holds what the adapter already found (e.g. an
     * impossible date) so that the caller hears of every problem at once.
     */
    public Person register(Caller caller, NewPerson request, String requestId, Violations mappingViolations) {
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
                Actor.of(caller), now, now, 1);
        // Retries are recognised per agency: two agencies may well use the same key text.
        String key = requestId == null || requestId.isBlank() ? "id:" + id : caller.agency() + ":" + requestId;
        return people.insertOnce(person, key);
    }

    public PersonView get(Caller caller, String id, Purpose purpose) {
        if (caller.isPlatform()) {
            throw notFound(id);
        }
        Person p = people.findById(id).orElseThrow(() -> notFound(id));
        if (p.registeredBy().agency().equals(caller.agency())) {
            return new PersonView(p, Set.of());
        }
        Set<DataCategory> asked = EnumSet.of(DataCategory.IDENTITY, DataCategory.CONTACT);
        for (CareTeamMember m : p.careTeam()) {
            if (!m.agency().equals(caller.agency())) {
                asked.addAll(CareTeamCategories.revealedBy(m.agencyType()));
            }
        }
        Decisions d = decisions.decide(id, asked, purpose);
        if (!d.allows(DataCategory.IDENTITY)) {
            throw notFound(id);
        }
        List<CareTeamMember> team = p.careTeam().stream()
                .filter(m -> m.agency().equals(caller.agency())
                        || CareTeamCategories.revealedBy(m.agencyType()).stream().allMatch(d::allows))
                .toList();
        boolean registrarVisible = team.stream().anyMatch(m -> m.agency().equals(p.registeredBy().agency()));
        Person visible = new Person(p.id(), p.identifiers(), p.preferredName(), p.otherNames(), p.dateOfBirth(),
                d.allows(DataCategory.CONTACT) ? p.contactDetails() : List.of(), team,
                registrarVisible ? p.registeredBy() : null, p.createdAt(), p.updatedAt(), p.version());
        return new PersonView(visible, d.withheld());
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("PERSON_NOT_FOUND", "people/" + id + " not found");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

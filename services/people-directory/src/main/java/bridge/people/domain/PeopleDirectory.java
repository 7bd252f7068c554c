package bridge.people.domain;

import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;

/**
 * Registering and reading people.
 *
 * <p>Visibility (until consent decisions are wired in): an agency sees a person it registered or
 * whose care team it is on; anyone else is told "not found", exactly as for a person who does not
 * exist, so that existence itself does not leak. The PLATFORM agency sees no personal data.
 */
public final class PeopleDirectory {

    private final PersonRepository people;
    private final Clock clock;
    private final Supplier<String> ids;

    public PeopleDirectory(PersonRepository people, Clock clock, Supplier<String> ids) {
        this.people = people;
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

    public Person get(Caller caller, String id) {
        Person p = people.findById(id).orElseThrow(() -> notFound(id));
        if (caller.isPlatform() || !(p.registeredBy().agency().equals(caller.agency())
                || p.hasCareTeamMember(caller.agency()))) {
            throw notFound(id);
        }
        return p;
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("PERSON_NOT_FOUND", "people/" + id + " not found");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

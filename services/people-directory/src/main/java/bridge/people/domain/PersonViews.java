package bridge.people.domain;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one visibility rule of the directory, used by every read (get, lookup, search, care team) and by
 * registration:
 * <ul>
 *   <li>PLATFORM callers see nobody.</li>
 *   <li>The registering agency sees the identity and contact details it recorded; any other agency
 *   only under an IDENTITY decision (contact details under CONTACT). Without it, an agency whose own
 *   registration was linked to the person sees exactly what it recorded (its contribution, shaped like
 *   a record of its own); anyone else is told "not found".</li>
 *   <li>Every read asks the same categories (IDENTITY and CONTACT unless registrar, and every category
 *   a care-team entry can reveal), so the withheld categories named in the answer depend on the
 *   decisions only, never on what the record holds.</li>
 *   <li>Every care-team entry and history event of another agency is shown only under decisions for
 *   every category it reveals ({@link CareTeamCategories}) - for the registering agency too. So are
 *   that agency's case references and the identifiers it recorded through a link.</li>
 *   <li>The update time is that of the latest change the caller may see, so hidden changes do not
 *   show through it.</li>
 * </ul>
 */
public final class PersonViews {

    private final PersonRepository people;
    private final ConsentDecisions decisions;

    public PersonViews(PersonRepository people, ConsentDecisions decisions) {
        this.people = people;
        this.decisions = decisions;
    }

    /** Follows merges to the surviving record; null when the chain is broken. */
    Person resolve(Person p) {
        Person at = p;
        for (int hops = 0; at != null && at.mergedInto() != null && hops < 10; hops++) {
            at = people.findById(at.mergedInto()).orElse(null);
        }
        return at == null || at.mergedInto() != null ? null : at;
    }

    /** The record as the agency that registered it, or whose registration was linked to it, sees it. */
    PersonView own(Person p, Caller caller) {
        return visibleTo(caller, p, Purpose.DIRECT_SUPPORT).orElseThrow();
    }

    Optional<PersonView> visibleTo(Caller caller, Person p, Purpose purpose) {
        if (caller.isPlatform() || p.mergedInto() != null) {
            return Optional.empty();
        }
        boolean registrar = p.registeredBy(caller.agency());
        Optional<LinkedRegistration> link = p.linkOf(caller.agency());
        // the same categories whatever the record holds: what is named as withheld reveals nothing
        Set<DataCategory> asked = EnumSet.copyOf(CareTeamCategories.all());
        if (!registrar) {
            asked.add(DataCategory.IDENTITY);
            asked.add(DataCategory.CONTACT);
        }
        Decisions d = decisions.decide(p.id(), asked, purpose);
        if (!registrar && !d.allows(DataCategory.IDENTITY)) {
            return link.map(l -> contribution(p, l, caller, d));
        }
        List<CareTeamMember> team = p.careTeam().stream()
                .filter(m -> shown(caller, m.agency(), m.agencyType(), d)).toList();
        List<CareTeamEvent> history = p.careTeamHistory().stream()
                .filter(e -> shown(caller, e.agency(), e.agencyType(), d)).toList();
        Set<Identifier> identifiers = new LinkedHashSet<>();
        for (Identifier i : p.identifiers()) {
            if (i.type() != IdentifierType.AGENCY_CASE_REFERENCE || agencyShown(caller, p, i.issuingAgency(), d)) {
                identifiers.add(i);
            }
        }
        for (LinkedRegistration l : p.links()) {
            if (shown(caller, l.by().agency(), l.by().agencyType(), d)) {
                identifiers.addAll(l.identifiers());
            }
        }
        List<ContactDetail> contacts = new ArrayList<>();
        if (registrar || d.allows(DataCategory.CONTACT)) {
            contacts.addAll(p.contactDetails());
        }
        link.ifPresent(l -> l.contactDetails().stream().filter(c -> !contacts.contains(c)).forEach(contacts::add));
        boolean registrarShown = shown(caller, p.registeredBy().agency(), p.registeredBy().agencyType(), d);
        Instant updated = history.stream().map(CareTeamEvent::at).reduce(p.createdAt(), (a, b) -> a.isAfter(b) ? a : b);
        Person visible = new Person(p.id(), List.copyOf(identifiers), p.preferredName(), p.otherNames(), p.dateOfBirth(),
                contacts, team, registrarShown ? p.registeredBy() : null, p.createdAt(), updated, p.version(),
                p.gender(), List.of(), history, null);
        return Optional.of(new PersonView(visible, d.withheld()));
    }

    /**
     * What a linked agency recorded, shaped exactly like a record it registered itself: its own
     * care-team entry and history only, registered by itself, withheld what would be withheld from a
     * registrar (the care-team categories it may not see).
     */
    private static PersonView contribution(Person p, LinkedRegistration l, Caller caller, Decisions d) {
        List<CareTeamMember> team = p.careTeam().stream().filter(m -> m.agency().equals(caller.agency())).toList();
        List<CareTeamEvent> history = p.careTeamHistory().stream().filter(e -> e.agency().equals(caller.agency())).toList();
        Instant updated = history.stream().map(CareTeamEvent::at).reduce(l.linkedAt(), (a, b) -> a.isAfter(b) ? a : b);
        Person own = new Person(p.id(), l.identifiers(), l.preferredName(), l.otherNames(), l.dateOfBirth(),
                l.contactDetails(), team, l.by(), l.linkedAt(), updated, p.version(), l.gender(), List.of(), history, null);
        Set<DataCategory> withheld = EnumSet.noneOf(DataCategory.class);
        withheld.addAll(d.withheld());
        withheld.remove(DataCategory.IDENTITY);
        withheld.remove(DataCategory.CONTACT);
        return new PersonView(own, withheld);
    }

    static boolean shown(Caller caller, String agency, AgencyType type, Decisions d) {
        return agency.equals(caller.agency()) || CareTeamCategories.revealedBy(type).stream().allMatch(d::allows);
    }

    /** A case reference names its agency: shown only where that agency's involvement is. */
    private static boolean agencyShown(Caller caller, Person p, String agency, Decisions d) {
        if (agency == null || agency.equals(caller.agency())) {
            return true;
        }
        AgencyType type = p.registeredBy().agency().equals(agency) ? p.registeredBy().agencyType()
                : p.careTeamHistory().stream().filter(e -> e.agency().equals(agency)).map(CareTeamEvent::agencyType)
                .findFirst().orElse(null);
        return type != null && shown(caller, agency, type, d);
    }
}

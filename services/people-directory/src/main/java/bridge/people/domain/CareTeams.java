package bridge.people.domain;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The care team: which agencies are involved with the person, since when, in what role, and the
 * named lead contact at each. An agency changes only its own entry; every change is kept in the
 * history. Reads go through {@link PersonViews}: each entry and event only under decisions for the
 * categories it reveals ({@link CareTeamCategories}). Someone the caller may not see is "not found",
 * exactly as someone who does not exist.
 */
public final class CareTeams {

    static final int MAX_ROLE = 100;
    static final int MAX_NAME = 100;
    static final int MAX_PHONE = 40;
    static final int MAX_EMAIL = 200;
    static final int MAX_REASON = 500;
    private static final Pattern PHONE = Pattern.compile("[0-9+() \\-]{3,40}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final PersonRepository people;
    private final PersonViews views;
    private final Clock clock;

    public CareTeams(PersonRepository people, PersonViews views, Clock clock) {
        this.people = people;
        this.views = views;
        this.clock = clock;
    }

    /** The care team as the caller may see it: members, history, and the withheld categories. */
    public record View(String personId, List<CareTeamMember> members, List<CareTeamEvent> history, Set<DataCategory> withheld) {
    }

    public View list(Caller caller, String personId, Purpose purpose) {
        PersonView view = visible(caller, personId, purpose);
        Set<DataCategory> withheld = EnumSet.noneOf(DataCategory.class);
        withheld.addAll(view.withheld());
        withheld.retainAll(CareTeamCategories.all());
        List<CareTeamMember> members = view.person().careTeam().stream()
                .sorted(java.util.Comparator.comparing(CareTeamMember::joinedAt).thenComparing(CareTeamMember::agency)).toList();
        return new View(personId, members, view.person().careTeamHistory(), withheld);
    }

    /**
     * The caller's agency joins (or, a member already, changes role and lead contact). Only where the
     * caller may see the person.
     */
    public CareTeamMember join(Caller caller, String personId, String role, LeadContact lead) {
        Violations v = new Violations();
        text(role, "role", MAX_ROLE, true, v);
        leadContact(lead, "lead_contact", v);
        v.throwIfAny();
        visible(caller, personId, Purpose.DIRECT_SUPPORT);
        return change(caller, personId, p -> {
            Instant now = now();
            List<CareTeamMember> team = new ArrayList<>(p.careTeam());
            List<CareTeamEvent> history = new ArrayList<>(p.careTeamHistory());
            CareTeamMember existing = p.careTeamMember(caller.agency()).orElse(null);
            CareTeamMember member;
            if (existing == null) {
                member = new CareTeamMember(caller.agency(), caller.agencyType(), role.strip(), lead, now);
                team.add(member);
                history.add(new CareTeamEvent(caller.agency(), caller.agencyType(), CareTeamEvent.Kind.JOINED,
                        member.role(), now, Actor.of(caller), ""));
            } else {
                member = new CareTeamMember(existing.agency(), existing.agencyType(), role.strip(), lead, existing.joinedAt());
                if (member.equals(existing)) {
                    return null; // nothing changes: nothing written
                }
                team.set(team.indexOf(existing), member);
                history.add(new CareTeamEvent(caller.agency(), caller.agencyType(), CareTeamEvent.Kind.UPDATED,
                        member.role(), now, Actor.of(caller), ""));
            }
            return p.with(team, history, p.links(), p.identifiers(), now);
        }).careTeamMember(caller.agency()).orElseThrow();
    }

    /** The caller's agency leaves; the entry it had is returned and the leaving kept in the history. */
    public CareTeamMember leave(Caller caller, String personId, String reason) {
        Violations v = new Violations();
        text(reason, "reason", MAX_REASON, false, v);
        v.throwIfAny();
        Person p = member(caller, personId);
        CareTeamMember left = p.careTeamMember(caller.agency()).orElseThrow();
        change(caller, personId, current -> {
            CareTeamMember m = current.careTeamMember(caller.agency()).orElse(null);
            if (m == null) {
                throw notAMember();
            }
            Instant now = now();
            List<CareTeamMember> team = new ArrayList<>(current.careTeam());
            team.remove(m);
            List<CareTeamEvent> history = new ArrayList<>(current.careTeamHistory());
            history.add(new CareTeamEvent(caller.agency(), caller.agencyType(), CareTeamEvent.Kind.LEFT, m.role(), now,
                    Actor.of(caller), reason == null ? "" : reason.strip()));
            return current.with(team, history, current.links(), current.identifiers(), now);
        });
        return left;
    }

    /**
     * Changes role and/or lead contact of the caller's own entry ({@code agency} must be the caller's:
     * refused before anything is read otherwise). {@code paths} empty means both.
     */
    public CareTeamMember update(Caller caller, String personId, String agency, String role, LeadContact lead,
                                 List<String> paths) {
        if (!caller.agency().equals(agency)) {
            throw new PermissionDeniedException("OWN_ENTRY_ONLY", "an agency may change only its own care-team entry");
        }
        Violations v = new Violations();
        boolean setRole = paths.isEmpty() || paths.contains("role");
        boolean setLead = paths.isEmpty() || paths.contains("lead_contact") || paths.contains("leadContact");
        for (String path : paths) {
            if (!List.of("role", "lead_contact", "leadContact").contains(path)) {
                v.add("update_mask", "unknown or read-only path: " + path + " (role, lead_contact)");
            }
        }
        if (setRole) {
            text(role, "member.role", MAX_ROLE, true, v);
        }
        if (setLead) {
            leadContact(lead, "member.lead_contact", v);
        }
        v.throwIfAny();
        member(caller, personId);
        return change(caller, personId, p -> {
            CareTeamMember m = p.careTeamMember(caller.agency()).orElse(null);
            if (m == null) {
                throw notAMember();
            }
            CareTeamMember updated = new CareTeamMember(m.agency(), m.agencyType(), setRole ? role.strip() : m.role(),
                    setLead ? lead : m.leadContact(), m.joinedAt());
            if (updated.equals(m)) {
                return null;
            }
            Instant now = now();
            List<CareTeamMember> team = new ArrayList<>(p.careTeam());
            team.set(team.indexOf(m), updated);
            List<CareTeamEvent> history = new ArrayList<>(p.careTeamHistory());
            history.add(new CareTeamEvent(caller.agency(), caller.agencyType(), CareTeamEvent.Kind.UPDATED, updated.role(),
                    now, Actor.of(caller), ""));
            return p.with(team, history, p.links(), p.identifiers(), now);
        }).careTeamMember(caller.agency()).orElseThrow();
    }

    /** The person, if the caller's agency is a member (it knows of its own membership) or may see them. */
    private Person member(Caller caller, String personId) {
        Person p = live(caller, personId);
        if (p.hasCareTeamMember(caller.agency())) {
            return p;
        }
        if (views.visibleTo(caller, p, Purpose.DIRECT_SUPPORT).isEmpty()) {
            throw notFound(personId);
        }
        throw notAMember();
    }

    private PersonView visible(Caller caller, String personId, Purpose purpose) {
        Person p = live(caller, personId);
        return views.visibleTo(caller, p, purpose).orElseThrow(() -> notFound(personId));
    }

    private Person live(Caller caller, String personId) {
        if (caller.isPlatform()) {
            throw notFound(personId);
        }
        Person p = people.findById(personId).map(views::resolve).orElse(null);
        if (p == null) {
            throw notFound(personId);
        }
        return p;
    }

    /** One conditional single-document update, tried again on a lost race; null from the change = no write. */
    private Person change(Caller caller, String personId, UnaryOperator<Person> edit) {
        for (int attempt = 0; attempt < PeopleDirectory.WRITE_ATTEMPTS; attempt++) {
            Person current = live(caller, personId);
            Person next = edit.apply(current);
            if (next == null) {
                return current;
            }
            if (people.update(next, current.version())) {
                return next;
            }
        }
        throw new ConflictException("CONCURRENT_UPDATE", "the care team changed meanwhile; try again");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static void text(String s, String field, int max, boolean required, Violations v) {
        if (s == null || s.isEmpty()) {
            if (required) {
                v.add(field, "is required");
            }
        } else if (s.isBlank()) {
            v.add(field, "must not be only whitespace");
        } else if (s.length() > max) {
            v.add(field, "at most " + max + " characters");
        } else if (s.chars().anyMatch(Character::isISOControl)) {
            v.add(field, "must not contain control characters");
        }
    }

    private static void leadContact(LeadContact c, String field, Violations v) {
        if (c == null) {
            return;
        }
        text(c.displayName(), field + ".display_name", MAX_NAME, false, v);
        if (!c.phone().isEmpty() && (c.phone().length() > MAX_PHONE || !PHONE.matcher(c.phone()).matches())) {
            v.add(field + ".phone", "digits, spaces and + ( ) - only, at most " + MAX_PHONE + " characters");
        }
        if (!c.email().isEmpty() && (c.email().length() > MAX_EMAIL || !EMAIL.matcher(c.email()).matches())) {
            v.add(field + ".email", "is not an email address (at most " + MAX_EMAIL + " characters)");
        }
    }

    private static FailedPreconditionException notAMember() {
        return new FailedPreconditionException("NOT_IN_CARE_TEAM", "your agency is not in this person's care team");
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("PERSON_NOT_FOUND", "people/" + id + " not found");
    }
}

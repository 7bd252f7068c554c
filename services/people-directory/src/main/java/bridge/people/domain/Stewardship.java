package bridge.people.domain;

import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Caller;
import bridge.support.paging.PageTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The data steward's work on the directory (ADR 0007): the queue of suspected duplicates that
 * registering agencies could not be told about, merging records of one person (and undoing it), and
 * undoing a wrong silent link.
 *
 * <p>Restricted to the realm roles {@code data-steward} and {@code data-protection-officer}, whatever
 * the caller's agency: like the DPO's oversight in the consent service, it is a role across the
 * partnership. Everyone else is refused (PERMISSION_DENIED) before anything is read.
 */
public final class Stewardship {

    public static final String DATA_STEWARD = "data-steward";
    public static final String DATA_PROTECTION_OFFICER = "data-protection-officer";
    static final int MAX_PAGE_SIZE = 100;
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_REASON = 500;
    private static final String REVIEW_LIST = "duplicateReviews";

    /** How many times an unlink that lost an optimistic race on the record is tried again before ABORTED. */
    static final int WRITE_ATTEMPTS = 5;
    private static final java.util.regex.Pattern AGENCY = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final PersonRepository people;
    private final Clock clock;
    private final Supplier<String> ids;
    private final java.util.function.UnaryOperator<String> derivedIds;

    /**
     * @param ids        fresh opaque ids
     * @param derivedIds the same opaque id for the same key (the record an unlink creates, so that
     *                   every attempt at it creates the same one)
     */
    public Stewardship(PersonRepository people, Clock clock, Supplier<String> ids,
                       java.util.function.UnaryOperator<String> derivedIds) {
        this.people = people;
        this.clock = clock;
        this.ids = ids;
        this.derivedIds = derivedIds;
    }

    public static boolean isSteward(Caller caller) {
        return caller.hasRole(DATA_STEWARD) || caller.hasRole(DATA_PROTECTION_OFFICER);
    }

    /** Refused before the request is even parsed, so a non-steward learns nothing from the error. */
    public static void requireStewardOf(Caller caller) {
        requireSteward(caller);
    }

    static void requireSteward(Caller caller) {
        if (!isSteward(caller)) {
            throw new PermissionDeniedException("DATA_STEWARD_ONLY",
                    "only a data steward or the data protection officer may do this");
        }
    }

    public record ReviewPage(List<DuplicateReview> reviews, String nextPageToken) {
    }

    /** Reviews in a state (OPEN when null), oldest first. */
    public ReviewPage reviews(Caller caller, DuplicateReview.State state, int pageSize, String pageToken) {
        requireSteward(caller);
        Violations v = new Violations();
        if (pageSize < 0) {
            v.add("page_size", "must not be negative");
        }
        DuplicateReview.State wanted = state == null ? DuplicateReview.State.OPEN : state;
        Instant after = null;
        String afterId = null;
        if (pageToken != null && !pageToken.isEmpty()) {
            Optional<String[]> at = PageTokens.decode(pageToken, REVIEW_LIST + "/" + wanted);
            if (at.isEmpty()) {
                v.add("page_token", "is not a token of this list");
            } else {
                try {
                    after = Instant.ofEpochMilli(Long.parseLong(at.get()[0]));
                    afterId = at.get()[1];
                } catch (NumberFormatException e) {
                    v.add("page_token", "is not a token of this list");
                }
            }
        }
        v.throwIfAny();
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
        List<DuplicateReview> page = people.reviews(wanted, after, afterId, size + 1);
        String next = "";
        if (page.size() > size) {
            page = page.subList(0, size);
            DuplicateReview last = page.get(size - 1);
            next = PageTokens.encode(REVIEW_LIST + "/" + wanted, Long.toString(last.createdAt().toEpochMilli()), last.id());
        }
        return new ReviewPage(List.copyOf(page), next);
    }

    /** Closes an open review as "not the same person". */
    public DuplicateReview dismiss(Caller caller, String reviewId, String reason) {
        requireSteward(caller);
        Violations v = new Violations();
        reason(reason, "reason", v);
        v.throwIfAny();
        DuplicateReview review = people.findReview(reviewId).orElseThrow(() -> reviewNotFound(reviewId));
        if (review.state() != DuplicateReview.State.OPEN) {
            throw new bridge.support.errors.FailedPreconditionException("REVIEW_CLOSED",
                    "duplicateReviews/" + reviewId + " is closed already (" + review.state() + ")");
        }
        DuplicateReview closed = review.closed(DuplicateReview.State.DISMISSED, reason.strip());
        if (!people.updateReview(closed, DuplicateReview.State.OPEN)) {
            throw new bridge.support.errors.ConflictException("CONCURRENT_UPDATE", "the review changed meanwhile; read it again");
        }
        return closed;
    }

    /**
     * Merges {@code mergedId} into {@code survivorId}: identifiers, other names (the merged record's
     * names among them), contact details, care teams and their histories combined; the merged record's
     * registration is kept on the survivor as that agency's contribution, so it still sees what it
     * recorded; the merged-away id resolves to the survivor. Open reviews of the pair close as MERGED.
     *
     * <p>Writes, each one single-document and conditional: (1) the merge record - the audit entry and
     * both records as they were, written first so no merge ever happens unaudited; (2) the merged-away
     * record points to the survivor; (3) the survivor holds the combination. A retry with the same
     * request_id resumes whichever step did not happen; a concurrent change to either record between
     * the read and the writes is reported (ABORTED, retry with the same request_id).
     */
    public PersonMerge merge(Caller caller, String survivorId, String mergedId, String reason, String requestId) {
        requireSteward(caller);
        Violations v = new Violations();
        reason(reason, "reason", v);
        if (survivorId.equals(mergedId)) {
            v.add("merged", "must not be the survivor");
        }
        if (requestId != null && requestId.length() > 128) {
            v.add("request_id", "at most 128 characters");
        }
        v.throwIfAny();
        String key = requestId == null || requestId.isBlank() ? "id:" + ids.get() : caller.subject() + ":" + requestId;
        Person survivor = people.findById(survivorId).orElseThrow(() -> personNotFound(survivorId));
        Person merged = people.findById(mergedId).orElseThrow(() -> personNotFound(mergedId));
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        PersonMerge intent = new PersonMerge(ids.get(), survivorId, mergedId, reason.strip(),
                bridge.support.identity.Actor.of(caller), now, survivor, merged, survivor.version() + 1, null, null, null);
        PersonMerge recorded = people.insertMerge(intent, key);
        if (recorded.id().equals(intent.id())) {
            // a new merge: neither record may be merged away already
            if (survivor.mergedInto() != null || merged.mergedInto() != null) {
                throw new bridge.support.errors.FailedPreconditionException("ALREADY_MERGED",
                        "people/" + (survivor.mergedInto() != null ? survivorId : mergedId) + " is merged away already");
            }
        }
        apply(recorded);
        for (DuplicateReview r : people.openReviewsBetween(survivorId, mergedId)) {
            people.updateReview(r.closed(DuplicateReview.State.MERGED, "merges/" + recorded.id()), DuplicateReview.State.OPEN);
        }
        return recorded;
    }

    private void apply(PersonMerge m) {
        Person merged = people.findById(m.mergedId()).orElseThrow();
        if (!m.survivorId().equals(merged.mergedInto())) {
            if (merged.version() != m.mergedBefore().version()
                    || !people.update(merged.mergedAway(m.survivorId(), m.mergedAt()), merged.version())) {
                throw concurrent();
            }
        }
        Person survivor = people.findById(m.survivorId()).orElseThrow();
        if (survivor.version() == m.survivorBefore().version()) {
            if (!people.update(combine(m.survivorBefore(), m.mergedBefore(), m.mergedAt()), survivor.version())) {
                throw concurrent();
            }
        } else if (survivor.version() != m.survivorVersionAfter()) {
            throw concurrent();
        }
    }

    /** The survivor with everything of the merged record added; nothing of the survivor's is dropped. */
    static Person combine(Person s, Person m, Instant at) {
        java.util.LinkedHashSet<Identifier> identifiers = new java.util.LinkedHashSet<>(s.identifiers());
        identifiers.addAll(m.identifiers());
        java.util.List<PersonName> others = new java.util.ArrayList<>(s.otherNames());
        for (PersonName n : java.util.stream.Stream.concat(java.util.stream.Stream.of(m.preferredName()),
                m.otherNames().stream()).toList()) {
            if (n != null && !n.equals(s.preferredName()) && !others.contains(n)) {
                others.add(n);
            }
        }
        java.util.List<ContactDetail> contacts = new java.util.ArrayList<>(s.contactDetails());
        m.contactDetails().stream().filter(c -> !contacts.contains(c)).forEach(contacts::add);
        java.util.List<CareTeamMember> team = new java.util.ArrayList<>(s.careTeam());
        for (CareTeamMember member : m.careTeam()) {
            if (!s.hasCareTeamMember(member.agency())) {
                team.add(member);
            }
        }
        java.util.List<CareTeamEvent> history = new java.util.ArrayList<>(s.careTeamHistory());
        history.addAll(m.careTeamHistory());
        history.sort(java.util.Comparator.comparing(CareTeamEvent::at));
        java.util.List<LinkedRegistration> links = new java.util.ArrayList<>(s.links());
        // the merged record's registering agency keeps seeing what it recorded, as a contribution
        java.util.List<LinkedRegistration> incoming = new java.util.ArrayList<>();
        incoming.add(new LinkedRegistration(m.registeredBy(), m.identifiers(), m.preferredName(), m.otherNames(),
                m.dateOfBirth(), m.contactDetails(), m.gender(), m.createdAt()));
        incoming.addAll(m.links());
        for (LinkedRegistration l : incoming) {
            if (!s.registeredBy(l.by().agency()) && links.stream().noneMatch(x -> x.by().agency().equals(l.by().agency()))) {
                links.add(l);
            }
        }
        return new Person(s.id(), java.util.List.copyOf(identifiers), s.preferredName(), others,
                s.dateOfBirth() != null ? s.dateOfBirth() : m.dateOfBirth(), contacts, team, s.registeredBy(),
                s.createdAt(), at, s.version() + 1, s.gender() != null ? s.gender() : m.gender(), links, history, null);
    }

    /**
     * Undoes a merge: both records as they were before it, the merged-away id its own again. Refused
     * (FAILED_PRECONDITION) when the survivor changed since the merge, because restoring it would
     * silently drop that change; the steward then merges the change in by hand.
     */
    public PersonMerge unmerge(Caller caller, String mergeId, String reason) {
        requireSteward(caller);
        Violations v = new Violations();
        reason(reason, "reason", v);
        v.throwIfAny();
        PersonMerge m = people.findMerge(mergeId).orElseThrow(() -> new NotFoundException("MERGE_NOT_FOUND",
                "merges/" + mergeId + " not found"));
        if (m.undone()) {
            throw new bridge.support.errors.FailedPreconditionException("ALREADY_UNMERGED", "merges/" + mergeId + " is undone already");
        }
        Person survivor = people.findById(m.survivorId()).orElseThrow();
        Person merged = people.findById(m.mergedId()).orElseThrow();
        if (survivor.version() != m.survivorVersionAfter() || !m.survivorId().equals(merged.mergedInto())) {
            throw new bridge.support.errors.FailedPreconditionException("CHANGED_SINCE_MERGE",
                    "people/" + m.survivorId() + " changed since the merge; unmerging would lose that change");
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        PersonMerge undone = new PersonMerge(m.id(), m.survivorId(), m.mergedId(), m.reason(), m.mergedBy(), m.mergedAt(),
                m.survivorBefore(), m.mergedBefore(), m.survivorVersionAfter(), bridge.support.identity.Actor.of(caller),
                now, reason.strip());
        // audit first: the undoing is recorded before either record changes
        if (!people.markUnmerged(undone)) {
            throw concurrent();
        }
        if (!people.update(m.survivorBefore().restoredOver(survivor.version(), now), survivor.version())
                || !people.update(m.mergedBefore().restoredOver(merged.version(), now), merged.version())) {
            throw concurrent();
        }
        return undone;
    }

    /**
     * Undoes a silent link (ADR 0007): {@code agency}'s linked registration on {@code personId} becomes
     * that agency's own record again, exactly as if it had not been linked ({@link #split}); the record
     * keeps none of it. UNLINKED events on both records; the unlink itself is audited.
     *
     * <p>Writes, each single-document: (1) the audit entry under the request's idempotency key, first,
     * so no unlink ever happens unaudited; (2) the agency's new record, whose id is derived from the
     * link (record, agency, link time), so every attempt at this unlink - a retry under the same
     * request_id or another - creates the same record, never a second one; (3) the record without the
     * contribution, conditional on its version. Cut short after (2), the agency's contribution is on
     * both records (only the agency sees either, and only its own data); the retry under the same
     * request_id finds the audit entry and completes (2) and (3); a retry under another request_id
     * converges on the same new record. A retry after completion writes nothing and answers the same.
     */
    public PersonUnlink unlink(Caller caller, String personId, String agency, String reason, String requestId) {
        requireSteward(caller);
        Violations v = new Violations();
        if (agency == null || agency.isEmpty()) {
            v.add("agency", "is required");
        } else if (!AGENCY.matcher(agency).matches()) {
            v.add("agency", "must be an agency alias: lower-case letters, digits and hyphens, at most 64");
        }
        reason(reason, "reason", v);
        if (requestId != null && requestId.length() > 128) {
            v.add("request_id", "at most 128 characters");
        }
        v.throwIfAny();
        String key = requestId == null || requestId.isBlank() ? "id:" + ids.get() : caller.subject() + ":" + requestId;
        Optional<PersonUnlink> earlier = people.findUnlink(key);
        if (earlier.isPresent()) {
            complete(earlier.get());
            return earlier.get();
        }
        Person original = people.findById(personId).orElseThrow(() -> personNotFound(personId));
        if (original.mergedInto() != null) {
            throw new bridge.support.errors.FailedPreconditionException("ALREADY_MERGED",
                    "name: people/" + personId + " is merged away; unlink on the record it was merged into");
        }
        LinkedRegistration link = original.linkOf(agency).orElseThrow(() -> new bridge.support.errors.FailedPreconditionException(
                "NOT_LINKED", "agency: " + agency + " has no registration linked to people/" + personId
                + (original.registeredBy(agency) ? " (it registered the record itself)" : "")));
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        PersonUnlink intent = new PersonUnlink(ids.get(), personId, derivedIds.apply(linkKey(personId, link)), agency,
                reason.strip(), bridge.support.identity.Actor.of(caller), now);
        PersonUnlink recorded = people.insertUnlink(intent, key);
        complete(recorded);
        return recorded;
    }

    /** What identifies one link for good: the record, the agency and when it was linked. */
    static String linkKey(String personId, LinkedRegistration link) {
        return "unlink:" + personId + ":" + link.by().agency() + ":" + link.linkedAt().toEpochMilli();
    }

    /**
     * Brings the records to the state the unlink describes, from wherever an earlier attempt stopped.
     * Everything is computed from the record and the audit entry (its time included), so every attempt
     * writes the same new record.
     */
    private void complete(PersonUnlink u) {
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Person original = people.findById(u.personId()).orElseThrow(() -> personNotFound(u.personId()));
            Optional<LinkedRegistration> link = original.linkOf(u.agency())
                    .filter(l -> derivedIds.apply(linkKey(original.id(), l)).equals(u.unlinkedPersonId()));
            if (link.isEmpty()) {
                return; // split off already, by this attempt's predecessor or a concurrent one
            }
            Split split = split(original, link.get(), u.unlinkedPersonId(), u.unlinkedBy(), u.reason(), u.unlinkedAt());
            Person stored = people.insertOnce(split.unlinked(), "unlink:" + u.unlinkedPersonId());
            // written by an attempt that was cut short, and the agency's entry on the record changed since
            if (!stored.equals(split.unlinked()) && stored.version() == split.unlinked().version()
                    && !people.update(split.unlinked().restoredOver(stored.version(), u.unlinkedAt()), stored.version())) {
                continue;
            }
            if (people.update(split.remaining(), original.version())) {
                return;
            }
        }
        throw concurrent();
    }

    /** The agency's own record split off a record, and the record without it. */
    public record Split(Person unlinked, Person remaining) {
    }

    /**
     * The rule of unlinking (ADR 0007). The agency's record: what it registered (identifiers, names,
     * date of birth, contact details, gender), registered by it, created when it was linked, its
     * care-team entry if it still has one and its care-team history, and an UNLINKED event. The record
     * it was linked to: without the contribution, without the agency's care-team entry and history,
     * without its case references, with an UNLINKED event for the agency (shown, like every event of
     * that agency, only under the decisions that show its involvement). Identifiers the record itself
     * holds otherwise are its registrar's (or came in through a merge, which UnmergePeople undoes) and stay.
     */
    public static Split split(Person p, LinkedRegistration link, String newId, bridge.support.identity.Actor steward,
                              String reason, Instant at) {
        String agency = link.by().agency();
        Optional<CareTeamMember> member = p.careTeamMember(agency);
        CareTeamEvent unlinked = new CareTeamEvent(agency, link.by().agencyType(), CareTeamEvent.Kind.UNLINKED,
                member.map(CareTeamMember::role).orElse(""), at, steward, reason);
        List<CareTeamEvent> moved = new java.util.ArrayList<>(
                p.careTeamHistory().stream().filter(e -> e.agency().equals(agency)).toList());
        moved.add(unlinked);
        Person own = new Person(newId, link.identifiers(), link.preferredName(), link.otherNames(), link.dateOfBirth(),
                link.contactDetails(), member.map(List::of).orElse(List.of()), link.by(), link.linkedAt(), at, 1,
                link.gender(), List.of(), moved, null);
        List<CareTeamEvent> kept = new java.util.ArrayList<>(
                p.careTeamHistory().stream().filter(e -> !e.agency().equals(agency)).toList());
        kept.add(unlinked);
        Person remaining = p.with(p.careTeam().stream().filter(m -> !m.agency().equals(agency)).toList(), kept,
                p.links().stream().filter(l -> !l.by().agency().equals(agency)).toList(),
                p.identifiers().stream().filter(i -> !(i.type() == IdentifierType.AGENCY_CASE_REFERENCE
                        && agency.equals(i.issuingAgency()))).toList(), at);
        return new Split(own, remaining);
    }

    private static bridge.support.errors.ConflictException concurrent() {
        return new bridge.support.errors.ConflictException("CONCURRENT_UPDATE",
                "a record changed meanwhile; retry with the same request_id");
    }

    private static NotFoundException personNotFound(String id) {
        return new NotFoundException("PERSON_NOT_FOUND", "people/" + id + " not found");
    }

    static void reason(String reason, String field, Violations v) {
        if (reason == null || reason.isEmpty()) {
            v.add(field, "is required");
        } else if (reason.isBlank()) {
            v.add(field, "must not be only whitespace");
        } else if (reason.length() > MAX_REASON) {
            v.add(field, "at most " + MAX_REASON + " characters");
        } else if (reason.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            v.add(field, "must not contain control characters");
        }
    }

    private static NotFoundException reviewNotFound(String id) {
        return new NotFoundException("REVIEW_NOT_FOUND", "duplicateReviews/" + id + " not found");
    }
}

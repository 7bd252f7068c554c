package bridge.referrals.persistence;

import bridge.support.mongo.PersonIndex;
import bridge.referrals.domain.Appointment;
import bridge.referrals.domain.DisengagementPlan;
import bridge.referrals.domain.Engagement;
import bridge.referrals.domain.Handover;
import bridge.referrals.domain.HistoryEntry;
import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.Referral;
import bridge.referrals.domain.ReferralCursor;
import bridge.referrals.domain.ReferralRepository;
import bridge.referrals.domain.ReferralStatus;
import bridge.referrals.domain.StatusReason;
import bridge.referrals.domain.StatusReasonCode;
import bridge.referrals.domain.Transition;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Referrals in the referral service's own database, collection {@code referrals}. Idempotent
 * sending rests on a unique index over the idempotency key: the insert is the single write, so a
 * retry either inserts nothing or finds the first attempt's record (no transaction needed).
 */
public final class MongoReferralRepository implements ReferralRepository {

    private final MongoCollection<Document> referrals;
    private final PersonIndex byPerson;

    public MongoReferralRepository(MongoDatabase db) {
        this.referrals = db.getCollection("referrals");
        referrals.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // Conditional single-document writes filter on _id plus the guarded field. The embedded server
        // serves a filter from an index only when it names exactly a unique index's fields, so these
        // (trivially unique, _id leads) indexes keep the writes off a collection scan; redundant on MongoDB.
        referrals.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true).name("id_version"));
        referrals.createIndex(Indexes.ascending("_id", "handover.state"), new IndexOptions().unique(true).name("id_handover"));
        // The receiving agency's work queue (inbox) comes next: its referrals by status and age.
        referrals.createIndex(Indexes.ascending("performerAgency", "status", "createdAt"),
                new IndexOptions().name("performer_status_created"));
        // The webhook scan: recently changed referrals.
        referrals.createIndex(Indexes.ascending("updatedAt"), new IndexOptions().name("updated"));
        // Commissioners' aggregate measures: the referrals sent in a range of months.
        referrals.createIndex(Indexes.ascending("createdAt"), new IndexOptions().name("created"));
        // ListReferrals: the referrals about one person, newest first.
        referrals.createIndex(Indexes.compoundIndex(Indexes.ascending("personId"), Indexes.descending("createdAt"),
                Indexes.ascending("_id")), new IndexOptions().name("person_created"));
        // ... which the embedded server ignores (it serves unique indexes only): by-person reads use this.
        this.byPerson = new PersonIndex(db, "referralsByPerson", referrals, "personId");
    }

    @Override
    public Referral insertOnce(Referral referral, String idempotencyKey) {
        Document doc = asDocument(referral).append("idempotencyKey", idempotencyKey);
        byPerson.add(referral.personId(), referral.id());
        try {
            referrals.insertOne(doc);
            return referral;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                byPerson.remove(referral.personId(), referral.id());
                Document existing = referrals.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public boolean recordHandover(String id, Handover handover) {
        return referrals.updateOne(new Document("_id", id).append("handover.state", Handover.State.PENDING.name()),
                Updates.set("handover", asDocument(handover))).getMatchedCount() == 1;
    }

    @Override
    public boolean removeRefusedHandover(String id) {
        // a rare path (a refused hand-over): this three-field filter may scan on the embedded server
        Document gone = referrals.findOneAndDelete(Filters.and(Filters.eq("_id", id), Filters.eq("version", 1L),
                Filters.eq("handover.state", Handover.State.PENDING.name())));
        if (gone == null) {
            return false;
        }
        byPerson.remove(gone.getString("personId"), id);
        return true;
    }

    static Document asDocument(Handover h) {
        return new Document("state", h.state().name()).append("records", h.records()).append("detail", h.detail());
    }

    static Handover handover(Document d) {
        return d == null ? null : new Handover(Handover.State.valueOf(d.getString("state")),
                d.getList("records", String.class, List.of()), d.getString("detail"));
    }

    @Override
    public Optional<Referral> findById(String id) {
        return Optional.ofNullable(referrals.find(Filters.eq("_id", id)).first()).map(MongoReferralRepository::fromDocument);
    }

    @Override
    public List<Referral> findAbout(String personId, String agency, ReferralCursor after, int limit) {
        // the person's few referrals by the person index; filter, order and page them here
        return byPerson.records(referrals, personId).stream().map(MongoReferralRepository::fromDocument)
                .filter(r -> agency == null || agency.equals(r.requester().agency()) || agency.equals(r.performerAgency()))
                .filter(r -> after == null || r.createdAt().isBefore(after.createdAt())
                        || r.createdAt().equals(after.createdAt()) && r.id().compareTo(after.id()) > 0)
                .sorted(NEWEST_FIRST).limit(limit).toList();
    }

    /** ListReferrals' order: newest first, then by id. */
    private static final Comparator<Referral> NEWEST_FIRST =
            Comparator.comparing(Referral::createdAt).reversed().thenComparing(Referral::id);

    @Override
    public boolean existsNotInvolving(String personId, String agency) {
        return byPerson.records(referrals, personId).stream().anyMatch(d ->
                !agency.equals(d.get("requester", Document.class).getString("agency"))
                        && !agency.equals(d.getString("performerAgency")));
    }

    @Override
    public List<Referral> findReceivedBy(String agency, java.util.Set<ReferralStatus> statuses, java.time.Instant sentBefore) {
        // served by the performer_status_created index
        return referrals.find(Filters.and(Filters.eq("performerAgency", agency),
                        Filters.in("status", statuses.stream().map(Enum::name).toList()),
                        Filters.lt("createdAt", Date.from(sentBefore))))
                .map(MongoReferralRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public boolean applyTransition(Referral updated, long expectedVersion, HistoryEntry entry) {
        // One conditional single-document update: the version filter is the optimistic lock.
        return referrals.updateOne(new Document("_id", updated.id()).append("version", expectedVersion),
                Updates.combine(
                        Updates.set("status", updated.status().name()),
                        Updates.set("updatedAt", Date.from(updated.updatedAt())),
                        Updates.set("version", updated.version()),
                        Updates.push("history", asDocument(entry)))).getMatchedCount() == 1;
    }

    static Document asDocument(HistoryEntry e) {
        Document d = new Document("transition", e.transition().name())
                .append("previousStatus", e.previousStatus().name())
                .append("status", e.status().name())
                .append("actor", asDocument(e.actor()))
                .append("at", Date.from(e.at()));
        if (e.reason() != null) {
            d.append("reason", new Document("code", e.reason().code().name()).append("text", e.reason().text()));
        }
        return d;
    }

    static HistoryEntry historyEntry(Document d) {
        Document reason = d.get("reason", Document.class);
        return new HistoryEntry(Transition.valueOf(d.getString("transition")),
                ReferralStatus.valueOf(d.getString("previousStatus")), ReferralStatus.valueOf(d.getString("status")),
                actor(d.get("actor", Document.class)), d.getDate("at").toInstant(),
                reason == null ? null : new StatusReason(StatusReasonCode.valueOf(reason.getString("code")),
                        reason.getString("text")));
    }

    static Document asDocument(Actor a) {
        return new Document("subject", a.subject()).append("agency", a.agency()).append("agencyType", a.agencyType().name());
    }

    static Actor actor(Document by) {
        return new Actor(by.getString("subject"), by.getString("agency"), AgencyType.valueOf(by.getString("agencyType")));
    }

    static Document asDocument(Referral r) {
        return new Document("_id", r.id())
                .append("personId", r.personId())
                .append("pathway", r.pathway().name())
                .append("requester", new Document("subject", r.requester().subject())
                        .append("agency", r.requester().agency())
                        .append("agencyType", r.requester().agencyType().name()))
                .append("performerAgency", r.performerAgency())
                .append("status", r.status().name())
                .append("reason", r.reason())
                .append("createdAt", Date.from(r.createdAt()))
                .append("updatedAt", Date.from(r.updatedAt()))
                .append("version", r.version())
                .append("history", r.history().stream().map(MongoReferralRepository::asDocument).toList())
                .append("details", r.details() == null ? null : PathwayDetailsDocuments.asDocument(r.details()))
                .append("engagement", asDocument(r.engagement()))
                .append("handover", r.handover() == null ? null : asDocument(r.handover()));
    }

    static Document asDocument(Engagement e) {
        return new Document("plan", new Document("missedInARow", e.plan().missedInARow())
                .append("steps", e.plan().steps().stream().map(Enum::name).toList()))
                .append("appointments", e.appointments().stream().map(a -> new Document("id", a.id())
                        .append("start", Date.from(a.start()))
                        .append("outcome", a.outcome().name())
                        .append("recordedBy", asDocument(a.recordedBy()))
                        .append("recordedAt", Date.from(a.recordedAt()))).toList())
                .append("raised", e.raised().stream().map(r -> new Document("step", r.step().name())
                        .append("raisedAt", Date.from(r.raisedAt()))
                        .append("doneAt", r.doneAt() == null ? null : Date.from(r.doneAt()))
                        .append("doneBy", r.doneBy() == null ? null : asDocument(r.doneBy()))
                        .append("note", r.note())).toList());
    }

    /** The standard plan and nothing recorded for referrals stored before engagement existed. */
    static Engagement engagement(Document d) {
        if (d == null) {
            return Engagement.of(null);
        }
        Document plan = d.get("plan", Document.class);
        return new Engagement(
                d.getList("appointments", Document.class, List.of()).stream().map(a -> new Appointment(a.getString("id"),
                        a.getDate("start").toInstant(), Appointment.Outcome.valueOf(a.getString("outcome")),
                        actor(a.get("recordedBy", Document.class)), a.getDate("recordedAt").toInstant())).toList(),
                new DisengagementPlan(plan.getInteger("missedInARow"), plan.getList("steps", String.class).stream()
                        .map(DisengagementPlan.Step::valueOf).toList()),
                d.getList("raised", Document.class, List.of()).stream().map(r -> new DisengagementPlan.Raised(
                        DisengagementPlan.Step.valueOf(r.getString("step")), r.getDate("raisedAt").toInstant(),
                        r.getDate("doneAt") == null ? null : r.getDate("doneAt").toInstant(),
                        r.get("doneBy", Document.class) == null ? null : actor(r.get("doneBy", Document.class)),
                        r.getString("note"))).toList());
    }

    @Override
    public List<Referral> findSentBetween(java.time.Instant from, java.time.Instant to, Pathway pathway, String agency) {
        List<Bson> f = new ArrayList<>(List.of(Filters.gte("createdAt", Date.from(from)), Filters.lt("createdAt", Date.from(to))));
        if (pathway != null) {
            f.add(Filters.eq("pathway", pathway.name()));
        }
        if (agency != null) {
            f.add(Filters.eq("performerAgency", agency));
        }
        return referrals.find(Filters.and(f)).map(MongoReferralRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public List<Referral> findUpdatedSince(java.time.Instant since) {
        return referrals.find(Filters.gte("updatedAt", Date.from(since))).map(MongoReferralRepository::fromDocument)
                .into(new ArrayList<>());
    }

    @Override
    public boolean applyEngagement(Referral updated, long expectedVersion) {
        // One conditional single-document update: the version filter is the optimistic lock.
        return referrals.updateOne(new Document("_id", updated.id()).append("version", expectedVersion),
                Updates.combine(
                        Updates.set("engagement", asDocument(updated.engagement())),
                        Updates.set("updatedAt", Date.from(updated.updatedAt())),
                        Updates.set("version", updated.version()))).getMatchedCount() == 1;
    }

    static Referral fromDocument(Document d) {
        Document by = d.get("requester", Document.class);
        Pathway pathway = Pathway.valueOf(d.getString("pathway"));
        return new Referral(
                d.getString("_id"),
                d.getString("personId"),
                pathway,
                new Actor(by.getString("subject"), by.getString("agency"), AgencyType.valueOf(by.getString("agencyType"))),
                d.getString("performerAgency"),
                ReferralStatus.valueOf(d.getString("status")),
                d.getString("reason"),
                d.getDate("createdAt").toInstant(),
                d.getDate("updatedAt").toInstant(),
                ((Number) d.get("version")).longValue(),
                d.getList("history", Document.class, List.of()).stream().map(MongoReferralRepository::historyEntry).toList(),
                PathwayDetailsDocuments.fromDocument(pathway, d.get("details", Document.class)),
                engagement(d.get("engagement", Document.class)), java.util.Set.of(),
                handover(d.get("handover", Document.class)));
    }
}

package bridge.consent.persistence;

import bridge.consent.domain.Consent;
import bridge.consent.domain.ConsentCursor;
import bridge.consent.domain.ConsentMethod;
import bridge.consent.domain.ConsentRepository;
import bridge.consent.domain.ConsentState;
import bridge.consent.domain.Recipient;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.ConflictException;
import bridge.support.identity.AgencyType;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.bson.Document;

/**
 * The consent registry (layout: {@link ConsentSubjects}).
 *
 * <h2>Recording: claim, then push</h2>
 * <ol>
 *   <li>with a request id: insert the claim {@code idempotencyKeys/<agency:request id>} holding the
 *       consent (unique {@code _id}; a duplicate means an earlier attempt claimed it — carry on with
 *       THAT attempt's consent instead);</li>
 *   <li>push the consent into the person's {@code consents} array unless its id is there — the
 *       commit point: from here on decisions see it;</li>
 *   <li>insert version 1 into the history.</li>
 * </ol>
 * Interrupted after 1, a retry finishes the first attempt (roll forward); interrupted after 2, the
 * history lacks version 1 until the next write, and {@link #history} never needs it (below).
 *
 * <h2>Changing (amend, withdraw): three single-document writes</h2>
 * <ol>
 *   <li>insert version v, the current one, into the history unless it is there (version v's content
 *       never changes once written, so every writer inserts the same document);</li>
 *   <li>replace the person's consent element where {@code id} = the consent AND {@code version} = v
 *       with version v+1 — ONE conditional update (positional {@code $}), the optimistic-concurrency
 *       check and the commit point: of two writers that both read v, exactly one matches, the other
 *       matches nothing and gets ABORTED (ConflictException). The etag is derived from v;</li>
 *   <li>insert version v+1 into the history.</li>
 * </ol>
 * A crash between steps is harmless: before step 2 nothing visible changed (at most the history holds
 * version v early, which it would hold anyway); after step 2 the change is committed, and the history
 * lacks only the current version, which {@link #history} always takes from the current element
 * ("stored versions below the current one, then the current one") and the next change's step 1
 * writes. Nothing ever needs undoing; no timeouts, no repair job. SUPERSEDED is therefore not a stored
 * flag that could disagree with the pointer: a version is superseded exactly when the current element
 * has moved past it.
 */
public final class MongoConsentRepository implements ConsentRepository {

    static final String FIELD = "consents";

    private final ConsentSubjects store;

    public MongoConsentRepository(MongoDatabase db) {
        this.store = new ConsentSubjects(db);
    }

    @Override
    public Consent insertOnce(Consent consent, String idempotencyKey) {
        Consent first = consent;
        if (idempotencyKey != null) {
            Document claimed = store.claim("consent|" + idempotencyKey, consent.personId(), asDocument(consent));
            if (claimed != null) {
                first = fromDocument(claimed);
            }
        }
        store.pushOnce(first.personId(), FIELD, asDocument(first));
        store.ensureInHistory(first.id(), 1, asDocument(first));
        // a retry answers with what is current now (an amendment may have followed the first attempt)
        return first == consent ? consent : findById(first.personId(), first.id()).orElse(first);
    }

    @Override
    public Optional<Consent> findById(String personId, String id) {
        return Optional.ofNullable(store.element(personId, FIELD, id)).map(MongoConsentRepository::fromDocument);
    }

    @Override
    public List<Consent> findVisible(String personId, String agency, AgencyType agencyType, ConsentCursor after, int limit) {
        return all(store.subject(personId)).stream()
                .filter(c -> agency == null || c.recordedBy().agency().equals(agency) || c.namesAgency(agency)
                        || c.namesAgencyType(agencyType))
                .filter(c -> after == null || c.createdAt().isAfter(after.createdAt())
                        || (c.createdAt().equals(after.createdAt()) && c.id().compareTo(after.id()) > 0))
                .sorted(Comparator.comparing(Consent::createdAt).thenComparing(Consent::id))
                .limit(limit)
                .toList();
    }

    @Override
    public Consent replaceCurrent(Consent current, Consent next) {
        if (next.version() != current.version() + 1 || !next.id().equals(current.id())
                || !next.personId().equals(current.personId())) {
            throw new IllegalArgumentException("the next version of a consent must be current.version + 1");
        }
        store.ensureInHistory(current.id(), current.version(), asDocument(current));        // step 1
        UpdateResult committed = store.subjects.updateOne(                                   // step 2
                Filters.and(Filters.eq("_id", current.personId()), Filters.elemMatch(FIELD,
                        Filters.and(Filters.eq("id", current.id()), Filters.eq("version", current.version())))),
                Updates.set(FIELD + ".$", asDocument(next)));
        if (committed.getMatchedCount() == 0) {
            throw new ConflictException("CONCURRENT_CHANGE",
                    "the consent was changed concurrently: read it again and retry");
        }
        store.ensureInHistory(next.id(), next.version(), asDocument(next));                 // step 3
        return next;
    }

    @Override
    public List<Consent> history(Consent current) {
        List<String> earlier = LongStream.range(1, current.version()).mapToObj(v -> current.id() + "/" + v).toList();
        List<Consent> out = new ArrayList<>();
        if (!earlier.isEmpty()) {
            store.versions.find(Filters.in("_id", earlier)).map(MongoConsentRepository::fromDocument).into(out);
            out.sort(Comparator.comparingLong(Consent::version));
        }
        out.add(current);
        return out;
    }

    /** The consents of a person's document (current versions). */
    static List<Consent> all(Document subject) {
        return subject == null ? List.of()
                : subject.getList(FIELD, Document.class, List.of()).stream().map(MongoConsentRepository::fromDocument).toList();
    }

    /** A consent version as stored (an element of the person's array, or a history document). */
    static Document asDocument(Consent c) {
        Document d = new Document("id", c.id())
                .append("personId", c.personId())
                .append("recipients", c.recipients().stream().map(r -> r.isNamedAgency()
                        ? new Document("agency", r.agency())
                        : new Document("agencyType", r.agencyType().name())).toList())
                .append("categories", c.categories().stream().map(Enum::name).toList())
                .append("purposes", c.purposes().stream().map(Enum::name).toList())
                .append("validFrom", Date.from(c.validFrom()))
                .append("validUntil", c.validUntil() == null ? null : Date.from(c.validUntil()))
                .append("method", c.method().name())
                .append("capacityNote", c.capacityNote())
                .append("state", c.state() == ConsentState.WITHDRAWN ? "WITHDRAWN" : "ACTIVE")
                .append("recordedBy", Documents.actor(c.recordedBy()))
                .append("createdAt", Date.from(c.createdAt()))
                .append("version", c.version())
                .append("updatedAt", Date.from(c.updatedAt()))
                .append("updatedBy", Documents.actor(c.updatedBy()));
        Consent.Withdrawal w = c.withdrawal();
        d.append("withdrawal", w == null ? null : new Document("time", Date.from(w.time()))
                .append("by", Documents.actor(w.by())).append("reason", w.reason()));
        return d;
    }

    static Consent fromDocument(Document d) {
        Date until = d.getDate("validUntil");
        Document w = d.get("withdrawal", Document.class);
        return new Consent(
                d.containsKey("consentId") ? d.getString("consentId") : d.getString("id"),
                d.getString("personId"),
                d.getList("recipients", Document.class).stream().map(r -> r.getString("agency") != null
                        ? Recipient.agency(r.getString("agency"))
                        : Recipient.agencyType(AgencyType.valueOf(r.getString("agencyType")))).toList(),
                d.getList("categories", String.class).stream().map(DataCategory::valueOf).toList(),
                d.getList("purposes", String.class).stream().map(Purpose::valueOf).toList(),
                d.getDate("validFrom").toInstant(),
                until == null ? null : until.toInstant(),
                ConsentMethod.valueOf(d.getString("method")),
                d.getString("capacityNote"),
                ConsentState.valueOf(d.getString("state")),
                Documents.actor(d.get("recordedBy", Document.class)),
                d.getDate("createdAt").toInstant(),
                ((Number) d.get("version")).longValue(),
                d.getDate("updatedAt").toInstant(),
                Documents.actor(d.get("updatedBy", Document.class)),
                w == null ? null : new Consent.Withdrawal(w.getDate("time").toInstant(),
                        Documents.actor(w.get("by", Document.class)), w.getString("reason")));
    }
}

package bridge.housing.persistence;

import bridge.housing.domain.DutyToReferNotice;
import bridge.housing.domain.DutyToReferRepository;
import bridge.housing.domain.NoticeStatus;
import bridge.housing.domain.NoticeStatusChange;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Duty-to-refer notices, collection {@code dutyToReferNotices}: one insert per notice (unique
 * idempotency key), and every status change one conditional update that also appends the history,
 * so a change is all there or not at all.
 */
public final class MongoDutyToReferRepository implements DutyToReferRepository {

    private final MongoCollection<Document> notices;

    public MongoDutyToReferRepository(MongoDatabase db) {
        this.notices = db.getCollection("dutyToReferNotices");
        notices.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        notices.createIndex(Indexes.ascending("status", "checkedAt"), new IndexOptions().name("status_checked"));
        notices.createIndex(Indexes.ascending("personId", "_id"), new IndexOptions().name("person"));
        // A status change is a compare-and-set on _id and the status read: a unique index naming exactly
        // those fields is what the embedded server can serve it from (trivially unique; redundant on MongoDB).
        notices.createIndex(Indexes.ascending("_id", "status"), new IndexOptions().unique(true).name("id_status"));
    }

    @Override
    public DutyToReferNotice insertOnce(DutyToReferNotice notice, String idempotencyKey) {
        try {
            notices.insertOne(asDocument(notice).append("idempotencyKey", idempotencyKey));
            return notice;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Document existing = notices.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<DutyToReferNotice> find(String personId, String id) {
        // by _id alone (an indexed read), then the person checked here: a notice of another person does not exist
        return Optional.ofNullable(notices.find(Filters.eq("_id", id)).first())
                .filter(d -> personId.equals(d.getString("personId"))).map(MongoDutyToReferRepository::fromDocument);
    }

    @Override
    public Optional<DutyToReferNotice> findById(String id) {
        return Optional.ofNullable(notices.find(Filters.eq("_id", id)).first()).map(MongoDutyToReferRepository::fromDocument);
    }

    @Override
    public boolean advance(String id, NoticeStatus status, String authorityNoticeId, String outcome, Instant at, String note) {
        // Read the status, then change it only if it is still that one: the same all-or-nothing single
        // write as a filter on "status in mayFollow", served by the id_status index on the embedded server.
        Document current = notices.find(Filters.eq("_id", id)).projection(new Document("status", 1)).first();
        if (current == null || status.mayFollow().stream().noneMatch(s -> s.name().equals(current.getString("status")))) {
            return false;
        }
        List<Bson> set = new ArrayList<>(List.of(Updates.set("status", status.name()), Updates.set("updatedAt", Date.from(at)),
                Updates.push("history", change(new NoticeStatusChange(status, at, note)))));
        if (authorityNoticeId != null) {
            set.add(Updates.set("authorityNoticeId", authorityNoticeId));
        }
        if (outcome != null) {
            set.add(Updates.set("outcome", outcome));
        }
        return notices.updateOne(new Document("_id", id).append("status", current.getString("status")), Updates.combine(set))
                .getModifiedCount() == 1;
    }

    @Override
    public List<DutyToReferNotice> awaitingAuthority(int limit) {
        return notices.find(Filters.in("status", List.of(NoticeStatus.SENT.name(), NoticeStatus.ACKNOWLEDGED.name(),
                        NoticeStatus.ASSESSMENT.name())))
                .sort(Sorts.ascending("checkedAt", "_id")).limit(limit)
                .map(MongoDutyToReferRepository::fromDocument).into(new ArrayList<>());
    }

    @Override
    public void checked(String id, Instant at) {
        notices.updateOne(Filters.eq("_id", id), Updates.set("checkedAt", Date.from(at)));
    }

    static Document asDocument(DutyToReferNotice n) {
        return new Document("_id", n.id())
                .append("personId", n.personId())
                .append("authorityCode", n.authorityCode())
                .append("authorityName", n.authorityName())
                .append("reason", n.reason())
                .append("expectedHomelessDate", n.expectedHomelessDate() == null ? null : n.expectedHomelessDate().toString())
                .append("contactPhone", n.contactPhone())
                .append("contactEmail", n.contactEmail())
                .append("contactNote", n.contactNote())
                .append("referral", n.referral())
                .append("status", n.status().name())
                .append("history", n.history().stream().map(MongoDutyToReferRepository::change).toList())
                .append("authorityNoticeId", n.authorityNoticeId())
                .append("outcome", n.outcome())
                .append("recordedBy", MongoReleasePlanRepository.actor(n.recordedBy()))
                .append("createdAt", Date.from(n.createdAt()))
                .append("updatedAt", Date.from(n.createdAt()))
                // never checked yet: first in the polling queue once sent
                .append("checkedAt", new Date(0));
    }

    private static Document change(NoticeStatusChange c) {
        return new Document("status", c.status().name()).append("at", Date.from(c.at())).append("note", c.note());
    }

    static DutyToReferNotice fromDocument(Document d) {
        String expected = d.getString("expectedHomelessDate");
        List<NoticeStatusChange> history = d.getList("history", Document.class).stream()
                .map(h -> new NoticeStatusChange(NoticeStatus.valueOf(h.getString("status")), h.getDate("at").toInstant(),
                        h.getString("note"))).toList();
        return new DutyToReferNotice(d.getString("_id"), d.getString("personId"), d.getString("authorityCode"),
                d.getString("authorityName"), d.getString("reason"), expected == null ? null : LocalDate.parse(expected),
                d.getString("contactPhone"), d.getString("contactEmail"), d.getString("contactNote"), d.getString("referral"),
                NoticeStatus.valueOf(d.getString("status")), history, d.getString("authorityNoticeId"),
                d.getString("outcome"), MongoReleasePlanRepository.actor(d.get("recordedBy", Document.class)),
                d.getDate("createdAt").toInstant());
    }
}

package bridge.referrals.persistence;

import bridge.support.mongo.PersonIndex;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.referrals.domain.HistoryEntry;
import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.PathwayFixtures;
import bridge.referrals.domain.Referral;
import bridge.referrals.domain.ReferralCursor;
import bridge.referrals.domain.ReferralStatus;
import bridge.referrals.domain.Transition;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The by-person index behind referrals, and the conditional writes served by the (_id, guard) unique indexes. */
class PersonIndexTest {

    static final Actor PRISON = new Actor("rp-1", "hmp-leeds", AgencyType.PRISON);
    static final Actor COURT = new Actor("cc-1", "leeds-court", AgencyType.COURT);
    static final Actor TREATMENT = new Actor("kw-1", "forward-leeds", AgencyType.TREATMENT);

    MongoDatabase fresh() {
        return EmbeddedMongo.freshDatabase("referrals-index");
    }

    static Referral referral(String person, Actor from, String to, String sentAt) {
        Instant at = Instant.parse(sentAt);
        return new Referral(Ids.next(), person, Pathway.CUSTODY_RELEASE_TREATMENT, from, to, ReferralStatus.REQUESTED,
                "continuity of care", at, at, 1, List.of(), PathwayFixtures.details(Pathway.CUSTODY_RELEASE_TREATMENT),
                null, Set.of());
    }

    @Test
    void readsThePersonsReferralsNewestFirstAndPagesThem() {
        MongoReferralRepository repo = new MongoReferralRepository(fresh());
        String person = Ids.next();
        Referral older = repo.insertOnce(referral(person, PRISON, "forward-leeds", "2026-01-05T10:00:00Z"), Ids.next());
        Referral newer = repo.insertOnce(referral(person, PRISON, "forward-leeds", "2026-02-05T10:00:00Z"), Ids.next());
        Referral courts = repo.insertOnce(referral(person, COURT, "other-service", "2026-01-20T10:00:00Z"), Ids.next());
        repo.insertOnce(referral(Ids.next(), PRISON, "forward-leeds", "2026-03-05T10:00:00Z"), Ids.next());

        assertThat(repo.findAbout(person, null, null, 10)).extracting(Referral::id)
                .containsExactly(newer.id(), courts.id(), older.id());
        // sent or received by the agency
        assertThat(repo.findAbout(person, "forward-leeds", null, 10)).extracting(Referral::id)
                .containsExactly(newer.id(), older.id());
        assertThat(repo.findAbout(person, "hmp-leeds", new ReferralCursor(newer.createdAt(), newer.id()), 10))
                .extracting(Referral::id).containsExactly(older.id());
        assertThat(repo.existsNotInvolving(person, "forward-leeds")).isTrue();
        assertThat(repo.existsNotInvolving(person, "leeds-court")).isTrue();
    }

    @Test
    void anEntryWrittenBeforeACrashPointsAtNothingAndIsSkipped() {
        MongoDatabase db = fresh();
        MongoReferralRepository repo = new MongoReferralRepository(db);
        String person = Ids.next();
        Referral stored = repo.insertOnce(referral(person, PRISON, "forward-leeds", "2026-01-05T10:00:00Z"), Ids.next());
        new PersonIndex(db, "referralsByPerson", db.getCollection("referrals"), "personId").add(person, "never-written");

        assertThat(repo.findAbout(person, null, null, 10)).extracting(Referral::id).containsExactly(stored.id());
        assertThat(repo.existsNotInvolving(person, "forward-leeds")).isFalse();
    }

    @Test
    void aRetryUnderTheSameKeyLeavesNoDanglingEntry() {
        MongoDatabase db = fresh();
        MongoReferralRepository repo = new MongoReferralRepository(db);
        String person = Ids.next();
        String key = Ids.next();
        Referral first = repo.insertOnce(referral(person, PRISON, "forward-leeds", "2026-01-05T10:00:00Z"), key);
        assertThat(repo.insertOnce(referral(person, PRISON, "forward-leeds", "2026-01-05T10:00:00Z"), key).id())
                .isEqualTo(first.id());
        assertThat(new PersonIndex(db, "referralsByPerson", db.getCollection("referrals"), "personId").ids(person))
                .containsExactly(first.id());
    }

    @Test
    void referralsStoredBeforeTheIndexExistedAreIndexedOnce() {
        MongoDatabase db = fresh();
        String person = Ids.next();
        Referral old = referral(person, PRISON, "forward-leeds", "2025-01-05T10:00:00Z");
        db.getCollection("referrals").insertOne(MongoReferralRepository.asDocument(old).append("idempotencyKey", Ids.next()));

        assertThat(new MongoReferralRepository(db).findAbout(person, null, null, 10)).extracting(Referral::id)
                .containsExactly(old.id());
    }

    @Test
    void aTransitionAppliesOnceAtTheExpectedVersion() {
        MongoReferralRepository repo = new MongoReferralRepository(fresh());
        Referral sent = repo.insertOnce(referral(Ids.next(), PRISON, "forward-leeds", "2026-01-05T10:00:00Z"), Ids.next());
        HistoryEntry accept = new HistoryEntry(Transition.ACCEPT, ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED,
                TREATMENT, Instant.parse("2026-01-06T10:00:00Z"), null);

        assertThat(repo.applyTransition(sent.after(accept), 1, accept)).isTrue();
        assertThat(repo.applyTransition(sent.after(accept), 1, accept)).isFalse(); // version 1 is gone
        Referral stored = repo.findById(sent.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(ReferralStatus.ACCEPTED);
        assertThat(stored.history()).hasSize(1);
    }
}

package bridge.benefits.persistence;

import bridge.support.mongo.PersonIndex;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.benefits.domain.Benefit;
import bridge.benefits.domain.Claim;
import bridge.benefits.domain.ClaimCursor;
import bridge.benefits.domain.ClaimStatus;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The by-person index behind claims: written before the record, tolerant of entries that point at nothing. */
class PersonIndexTest {

    static final Actor ADVISER = new Actor("ba-1", "leeds-welfare-rights", AgencyType.BENEFITS);
    static final Actor PRISON = new Actor("rp-1", "hmp-leeds", AgencyType.PRISON);

    MongoDatabase fresh() {
        return EmbeddedMongo.freshDatabase("benefits-index");
    }

    static Claim claim(String person, Actor by, String createdAt) {
        Instant at = Instant.parse(createdAt);
        return new Claim(Ids.next(), person, Benefit.UNIVERSAL_CREDIT, ClaimStatus.PREPARING, by, at, at, 1, List.of(),
                null, null);
    }

    @Test
    void readsThePersonsClaimsNewestFirstAndPagesThem() {
        MongoClaimRepository repo = new MongoClaimRepository(fresh());
        String person = Ids.next();
        Claim older = repo.insertOnce(claim(person, ADVISER, "2026-01-05T10:00:00Z"), Ids.next());
        Claim newer = repo.insertOnce(claim(person, ADVISER, "2026-02-05T10:00:00Z"), Ids.next());
        Claim theirs = repo.insertOnce(claim(person, PRISON, "2026-01-20T10:00:00Z"), Ids.next());
        repo.insertOnce(claim(Ids.next(), ADVISER, "2026-03-05T10:00:00Z"), Ids.next());

        assertThat(repo.findAbout(person, null, null, 10)).extracting(Claim::id)
                .containsExactly(newer.id(), theirs.id(), older.id());
        assertThat(repo.findAbout(person, ADVISER.agency(), new ClaimCursor(newer.createdAt(), newer.id()), 10))
                .extracting(Claim::id).containsExactly(older.id());
        assertThat(repo.existsRecordedByOtherThan(person, ADVISER.agency())).isTrue();
    }

    @Test
    void anEntryWrittenBeforeACrashPointsAtNothingAndIsSkipped() {
        MongoDatabase db = fresh();
        MongoClaimRepository repo = new MongoClaimRepository(db);
        String person = Ids.next();
        Claim stored = repo.insertOnce(claim(person, ADVISER, "2026-01-05T10:00:00Z"), Ids.next());
        PersonIndex index = new PersonIndex(db, "claimsByPerson", db.getCollection("claims"), "personId");
        index.add(person, "never-written");

        assertThat(repo.findAbout(person, null, null, 10)).extracting(Claim::id).containsExactly(stored.id());
        assertThat(repo.existsRecordedByOtherThan(person, ADVISER.agency())).isFalse();
    }

    @Test
    void aRetryUnderTheSameKeyLeavesNoDanglingEntry() {
        MongoDatabase db = fresh();
        MongoClaimRepository repo = new MongoClaimRepository(db);
        String person = Ids.next();
        String key = Ids.next();
        Claim first = repo.insertOnce(claim(person, ADVISER, "2026-01-05T10:00:00Z"), key);
        assertThat(repo.insertOnce(claim(person, ADVISER, "2026-01-05T10:00:00Z"), key).id()).isEqualTo(first.id());
        assertThat(new PersonIndex(db, "claimsByPerson", db.getCollection("claims"), "personId").ids(person))
                .containsExactly(first.id());
    }

    @Test
    void claimsStoredBeforeTheIndexExistedAreIndexedOnce() {
        MongoDatabase db = fresh();
        String person = Ids.next();
        Claim old = claim(person, ADVISER, "2025-01-05T10:00:00Z");
        db.getCollection("claims").insertOne(MongoClaimRepository.asDocument(old).append("idempotencyKey", Ids.next()));

        assertThat(new MongoClaimRepository(db).findAbout(person, null, null, 10)).extracting(Claim::id)
                .containsExactly(old.id());
    }

    @Test
    void theConditionalUpdateStillRejectsAStaleVersion() {
        MongoClaimRepository repo = new MongoClaimRepository(fresh());
        Claim stored = repo.insertOnce(claim(Ids.next(), ADVISER, "2026-01-05T10:00:00Z"), Ids.next());
        Instant later = Instant.parse("2026-01-06T10:00:00Z");
        Claim submitted = new Claim(stored.id(), stored.personId(), stored.benefit(), ClaimStatus.SUBMITTED, ADVISER,
                stored.createdAt(), later, 2, List.of(), "dwp-1", null);

        assertThat(repo.replaceIfVersion(submitted)).contains(submitted);
        assertThat(repo.replaceIfVersion(submitted)).isEmpty(); // version 1 is gone
        assertThat(repo.findById(stored.id()).orElseThrow().status()).isEqualTo(ClaimStatus.SUBMITTED);
    }
}

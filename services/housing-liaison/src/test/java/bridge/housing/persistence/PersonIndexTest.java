package bridge.housing.persistence;

import bridge.support.mongo.PersonIndex;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.housing.domain.HousingCursor;
import bridge.housing.domain.HousingSituation;
import bridge.housing.domain.HousingStatus;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The by-person index behind housing situations: written before the record, tolerant of entries that point at nothing. */
class PersonIndexTest {

    static final Actor COUNCIL = new Actor("ho-1", "leeds-housing", AgencyType.HOUSING);
    static final Actor PROBATION = new Actor("po-1", "yorkshire-probation", AgencyType.PROBATION);

    MongoDatabase fresh() {
        return EmbeddedMongo.freshDatabase("housing-index");
    }

    static HousingSituation situation(String person, Actor by, LocalDate start) {
        return new HousingSituation(Ids.next(), person, HousingStatus.ROUGH_SLEEPING, start, "E08000035", "", by,
                Instant.parse("2026-01-05T10:00:00Z"), 1);
    }

    @Test
    void readsThePersonsSituationsInOrderAndPagesThem() {
        MongoHousingSituationRepository repo = new MongoHousingSituationRepository(fresh());
        String person = Ids.next();
        HousingSituation older = repo.insertOnce(situation(person, COUNCIL, LocalDate.of(2025, 3, 1)), Ids.next());
        HousingSituation newer = repo.insertOnce(situation(person, COUNCIL, LocalDate.of(2026, 1, 1)), Ids.next());
        HousingSituation theirs = repo.insertOnce(situation(person, PROBATION, LocalDate.of(2025, 6, 1)), Ids.next());
        repo.insertOnce(situation(Ids.next(), COUNCIL, LocalDate.of(2026, 2, 1)), Ids.next());

        assertThat(repo.findRecordedBy(person, null, null, 10)).extracting(HousingSituation::id)
                .containsExactly(newer.id(), theirs.id(), older.id());
        assertThat(repo.findRecordedBy(person, "leeds-housing", null, 1)).extracting(HousingSituation::id)
                .containsExactly(newer.id());
        assertThat(repo.findRecordedBy(person, "leeds-housing", new HousingCursor(newer.startDate(), newer.id()), 10))
                .extracting(HousingSituation::id).containsExactly(older.id());
        assertThat(repo.existsRecordedByOtherThan(person, "leeds-housing")).isTrue();
        assertThat(repo.existsRecordedByOtherThan(person, "nobody")).isTrue();
    }

    @Test
    void anEntryWrittenBeforeACrashPointsAtNothingAndIsSkipped() {
        MongoDatabase db = fresh();
        MongoHousingSituationRepository repo = new MongoHousingSituationRepository(db);
        String person = Ids.next();
        HousingSituation stored = repo.insertOnce(situation(person, COUNCIL, LocalDate.of(2025, 3, 1)), Ids.next());
        // the process died after the index entry and before the record: only the entry exists
        PersonIndex index = new PersonIndex(db, "housingSituationsByPerson", db.getCollection("housingSituations"), "personId");
        index.add(person, "never-written");

        assertThat(index.ids(person)).containsExactlyInAnyOrder(stored.id(), "never-written");
        assertThat(repo.findRecordedBy(person, null, null, 10)).extracting(HousingSituation::id).containsExactly(stored.id());
        assertThat(repo.existsRecordedByOtherThan(person, "leeds-housing")).isFalse();
    }

    @Test
    void aRetryUnderTheSameKeyLeavesNoDanglingEntry() {
        MongoDatabase db = fresh();
        MongoHousingSituationRepository repo = new MongoHousingSituationRepository(db);
        String person = Ids.next();
        String key = Ids.next();
        HousingSituation first = repo.insertOnce(situation(person, COUNCIL, LocalDate.of(2025, 3, 1)), key);
        HousingSituation retried = repo.insertOnce(situation(person, COUNCIL, LocalDate.of(2025, 3, 1)), key);

        assertThat(retried.id()).isEqualTo(first.id());
        PersonIndex index = new PersonIndex(db, "housingSituationsByPerson", db.getCollection("housingSituations"), "personId");
        assertThat(index.ids(person)).containsExactly(first.id());
    }

    @Test
    void recordsStoredBeforeTheIndexExistedAreIndexedOnce() {
        MongoDatabase db = fresh();
        String person = Ids.next();
        HousingSituation old = situation(person, COUNCIL, LocalDate.of(2024, 1, 1));
        // written by a version without the index
        db.getCollection("housingSituations").insertOne(MongoHousingSituationRepository.asDocument(old)
                .append("idempotencyKey", Ids.next()));

        MongoHousingSituationRepository repo = new MongoHousingSituationRepository(db);
        assertThat(repo.findRecordedBy(person, null, null, 10)).extracting(HousingSituation::id).containsExactly(old.id());
        assertThat(db.getCollection("housingSituationsByPerson").countDocuments()).isEqualTo(2); // the person + the marker
    }
}

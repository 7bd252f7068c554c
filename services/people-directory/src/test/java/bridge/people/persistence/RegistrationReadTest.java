package bridge.people.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.people.domain.Identifier;
import bridge.people.domain.IdentifierType;
import bridge.people.domain.Person;
import bridge.people.domain.PersonMatcher;
import bridge.people.domain.PersonName;
import bridge.people.domain.PersonRepository.RegistrationCandidates;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The one read a registration makes before it writes ({@code findForRegistration}): the retry, the
 * holders of its strong identifiers and its fuzzy candidates from one {@code _id $in} of the index and
 * one of the records; and the registrations stored before retries were found through the index.
 */
class RegistrationReadTest {

    static final Actor PRISON = new Actor("rp-1", "hmp-leeds", AgencyType.PRISON);
    static final LocalDate BORN = LocalDate.of(1983, 2, 9);

    MongoDatabase fresh() {
        return EmbeddedMongo.freshDatabase("people-registration-read");
    }

    static Person person(String given, String family, Identifier... identifiers) {
        Instant at = Instant.parse("2026-03-01T10:00:00Z");
        return new Person(Ids.next(), List.of(identifiers), new PersonName(given, family), List.of(), BORN, List.of(),
                List.of(), PRISON, at, at, 1);
    }

    static Set<String> keysOf(Person p) {
        return PersonMatcher.queryKeys(new PersonMatcher.Query(p.preferredName().givenNames(), p.preferredName().familyName(),
                p.dateOfBirth(), null, null));
    }

    static RegistrationCandidates read(MongoPersonRepository repo, String key, Person asked, Identifier... identifiers) {
        return repo.findForRegistration(key, List.of(identifiers), keysOf(asked), dob -> true, 100);
    }

    @Test
    void aRetryIsFoundInTheSameReadAsTheCandidates() {
        MongoPersonRepository repo = new MongoPersonRepository(fresh());
        Person first = repo.insertOnce(person("Tegwen", "Ashcroft"), "hmp-leeds:req-1");

        RegistrationCandidates again = read(repo, "hmp-leeds:req-1", first);
        assertThat(again.retried()).map(Person::id).contains(first.id());
        assertThat(again.matches()).extracting(Person::id).containsExactly(first.id());

        RegistrationCandidates other = read(repo, "hmp-leeds:req-2", first);
        assertThat(other.retried()).as("another key is no retry, though it meets the same person").isEmpty();
        assertThat(other.matches()).extracting(Person::id).containsExactly(first.id());
    }

    @Test
    void aRetryIsFoundWhateverTheCandidateSearchWouldDrop() {
        MongoPersonRepository repo = new MongoPersonRepository(fresh());
        Person first = repo.insertOnce(person("Tegwen", "Ashcroft"), "hmp-leeds:req-1");

        // a date-of-birth bound that drops everyone, and names that share no key with the record
        RegistrationCandidates again = repo.findForRegistration("hmp-leeds:req-1", List.of(),
                keysOf(person("Zebedee", "Quigley")), dob -> false, 100);
        assertThat(again.retried()).map(Person::id).contains(first.id());
        assertThat(again.matches()).isEmpty();
    }

    @Test
    void aRegistrationWithoutAKeyOfItsOwnLeavesNoRetryEntry() {
        MongoDatabase db = fresh();
        MongoPersonRepository repo = new MongoPersonRepository(db);
        Person p = person("Tegwen", "Ashcroft");
        repo.insertOnce(p, MongoPersonRepository.ownKey(p.id()));

        assertThat(db.getCollection("match_blocks").countDocuments(Filters.regex("_id", "^rq:"))).isZero();
        assertThat(read(repo, null, p).retried()).isEmpty();
        assertThat(read(repo, null, p).matches()).extracting(Person::id).containsExactly(p.id());
    }

    @Test
    void aRetryEntryWhoseRecordWasNeverWrittenIsNoRetry() {
        MongoDatabase db = fresh();
        MongoPersonRepository repo = new MongoPersonRepository(db);
        // the index is written first: a crash before the record leaves the entry pointing at nothing
        db.getCollection("match_blocks").updateOne(Filters.eq("_id", MongoPersonRepository.retryKey("hmp-leeds:req-1")),
                Updates.addToSet("ids", Ids.next() + "|" + BORN), new com.mongodb.client.model.UpdateOptions().upsert(true));

        assertThat(read(repo, "hmp-leeds:req-1", person("Tegwen", "Ashcroft")).retried()).isEmpty();
        // the request tried again is stored, and found as a retry from then on
        Person stored = repo.insertOnce(person("Tegwen", "Ashcroft"), "hmp-leeds:req-1");
        assertThat(read(repo, "hmp-leeds:req-1", stored).retried()).map(Person::id).contains(stored.id());
    }

    @Test
    void aRecordUnderTheRetryEntryWithAnotherKeyIsNoRetry() {
        MongoDatabase db = fresh();
        MongoPersonRepository repo = new MongoPersonRepository(db);
        Person someoneElse = repo.insertOnce(person("Tegwen", "Ashcroft"), "hmp-leeds:req-9");
        db.getCollection("match_blocks").updateOne(Filters.eq("_id", MongoPersonRepository.retryKey("hmp-leeds:req-1")),
                Updates.addToSet("ids", someoneElse.id() + "|" + BORN), new com.mongodb.client.model.UpdateOptions().upsert(true));

        assertThat(read(repo, "hmp-leeds:req-1", someoneElse).retried()).isEmpty();
    }

    @Test
    void identifierHoldersAreThoseWhoseRecordHoldsTheIdentifier() {
        MongoDatabase db = fresh();
        MongoPersonRepository repo = new MongoPersonRepository(db);
        Identifier nhs = new Identifier(IdentifierType.NHS_NUMBER, "9434765919", "");
        Person holder = repo.insertOnce(person("Tegwen", "Ashcroft", nhs), "hmp-leeds:req-1");
        Person other = repo.insertOnce(person("Bryn", "Pritchard"), "hmp-leeds:req-2");
        // the index is only ever added to: an entry the record does not bear out is ignored
        db.getCollection("match_blocks").updateOne(Filters.eq("_id", "id:NHS_NUMBER:9434765919"),
                Updates.addToSet("ids", other.id() + "|" + BORN));

        RegistrationCandidates found = repo.findForRegistration(null, List.of(nhs), Set.of(), dob -> true, 100);
        assertThat(found.identifierHolders()).extracting(Person::id).containsExactly(holder.id());
        assertThat(found.matches()).isEmpty();
        assertThat(repo.findByIdentifier(IdentifierType.NHS_NUMBER, "9434765919")).extracting(Person::id)
                .containsExactly(holder.id());
    }

    @Test
    void registrationsStoredBeforeRetriesWereIndexedAreFoundAfterTheOneTimeBackfill() {
        MongoDatabase db = fresh();
        MongoPersonRepository before = new MongoPersonRepository(db);
        // as an earlier version stored them: the record with its key, no retry entry in the index
        Person old = person("Tegwen", "Ashcroft");
        Person anonymous = person("Bryn", "Pritchard");
        db.getCollection("people").insertOne(MongoPersonRepository.asDocument(old).append("idempotencyKey", "hmp-leeds:old-1"));
        db.getCollection("people").insertOne(MongoPersonRepository.asDocument(anonymous)
                .append("idempotencyKey", MongoPersonRepository.ownKey(anonymous.id())));
        db.getCollection("match_blocks").deleteOne(Filters.eq("_id", MongoPersonRepository.RETRY_KEYS_INDEXED));
        assertThat(read(before, "hmp-leeds:old-1", old).retried()).as("not indexed yet").isEmpty();

        MongoPersonRepository after = new MongoPersonRepository(db);
        assertThat(read(after, "hmp-leeds:old-1", old).retried()).map(Person::id).contains(old.id());
        assertThat(db.getCollection("match_blocks").countDocuments(Filters.regex("_id", "^rq:")))
                .as("a registration without a key of its own needs no entry").isEqualTo(1);
        Document marker = db.getCollection("match_blocks").find(Filters.eq("_id", MongoPersonRepository.RETRY_KEYS_INDEXED)).first();
        assertThat(marker).isNotNull();

        // once done, never again: a later start does not scan (an entry removed by hand stays removed)
        db.getCollection("match_blocks").deleteOne(Filters.eq("_id", MongoPersonRepository.retryKey("hmp-leeds:old-1")));
        MongoPersonRepository later = new MongoPersonRepository(db);
        assertThat(read(later, "hmp-leeds:old-1", old).retried()).isEmpty();
    }

    @Test
    void aDateOfBirthBlockDropsThePeopleWhoseNamesRuleThemOutBeforeTheirRecordsAreRead() {
        MongoDatabase db = fresh();
        MongoPersonRepository repo = new MongoPersonRepository(db);
        Person her = repo.insertOnce(person("Tegwen", "Ashcroft"), "hmp-leeds:req-1");
        Person sameDay = repo.insertOnce(person("Bryn", "Pritchard"), "hmp-leeds:req-2");
        // written before entries carried the names: judged by the date alone
        Person older = person("Owain", "Griffiths");
        db.getCollection("match_blocks").updateOne(Filters.eq("_id", "dob:" + BORN), Updates.addToSet("ids", older.id() + "|" + BORN));
        db.getCollection("people").insertOne(MongoPersonRepository.asDocument(older).append("idempotencyKey", "hmp-leeds:req-3"));

        // both names misspelt beyond their sound: only the date-of-birth block finds her
        PersonMatcher.Query q = new PersonMatcher.Query("Tegwyn", "Ashcraft", BORN, null, null);
        Set<String> dateOnly = Set.of("dob:" + BORN);
        assertThat(repo.findByMatchKeys(dateOnly, e -> PersonMatcher.mayReachThreshold(q, e, false), 100))
                .extracting(Person::id).containsExactlyInAnyOrder(her.id(), older.id());
        assertThat(repo.findByMatchKeys(dateOnly, e -> PersonMatcher.mayReachThreshold(q, e.dateOfBirth(), false), 100))
                .as("by the date alone").extracting(Person::id).containsExactlyInAnyOrder(her.id(), sameDay.id(), older.id());
    }

    @Test
    void peopleSharingOnlyAGivenNameAndTheDateAreDroppedByTheirNamesBeforeTheirRecordsAreRead() {
        MongoDatabase db = fresh();
        MongoPersonRepository repo = new MongoPersonRepository(db);
        Person other = repo.insertOnce(person("Tegwen", "Pritchard"), "hmp-leeds:req-1");
        // every block she is in by her date of birth (or its day) carries her names
        for (String key : PersonMatcher.blockingKeys(other)) {
            Document block = db.getCollection("match_blocks").find(Filters.eq("_id", key)).first();
            assertThat(block.getList("ids", String.class)).as(key)
                    .allMatch(entry -> entry.contains("Pritchard") == PersonMatcher.entriesCarryNames(key));
        }

        // the same given name and day of birth: the given-name-and-date block finds her
        Person asked = person("Tegwen", "Ashcroft");
        PersonMatcher.PreparedQuery q = PersonMatcher.prepare(new PersonMatcher.Query("Tegwen", "Ashcroft", BORN, null, null));
        assertThat(repo.findForRegistration(null, List.of(), keysOf(asked), e -> PersonMatcher.mayReachThreshold(q, e, false), 100)
                .matches()).as("her family name rules her out").isEmpty();
        assertThat(repo.findForRegistration(null, List.of(), keysOf(asked),
                e -> PersonMatcher.mayReachThreshold(q.query(), e.dateOfBirth(), false), 100).matches())
                .as("by the date alone").extracting(Person::id).containsExactly(other.id());
    }
}

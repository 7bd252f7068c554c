package bridge.people.persistence;

import bridge.people.domain.CareTeamEvent;
import bridge.people.domain.CareTeamMember;
import bridge.people.domain.DuplicateReview;
import bridge.people.domain.LeadContact;
import bridge.people.domain.LinkedRegistration;
import bridge.people.domain.PersonMerge;
import bridge.people.domain.PersonUnlink;
import bridge.people.domain.ContactDetail;
import bridge.people.domain.Gender;
import bridge.people.domain.Identifier;
import bridge.people.domain.IdentifierType;
import bridge.people.domain.Person;
import bridge.people.domain.PersonMatcher;
import bridge.people.domain.PersonName;
import bridge.people.domain.PersonRepository;
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
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * People in the directory's own database, collection {@code people}. Idempotent registration rests
 * on a unique index over the idempotency key: the insert is the single write, so a retry either
 * inserts nothing or finds the first attempt's record (no multi-document transaction needed).
 */
public final class MongoPersonRepository implements PersonRepository {

    private final MongoCollection<Document> people;
    private final MongoCollection<Document> reviews;
    private final MongoCollection<Document> merges;
    private final MongoCollection<Document> blocks;
    private final MongoCollection<Document> unlinks;

    public MongoPersonRepository(MongoDatabase db) {
        this.people = db.getCollection("people");
        // Suspected duplicates a registering agency could not be told about; worked by a data steward.
        this.reviews = db.getCollection("duplicate_reviews");
        reviews.createIndex(Indexes.ascending("status", "createdAt"), new IndexOptions().name("open_reviews"));
        reviews.createIndex(Indexes.ascending("pair"), new IndexOptions().unique(true).name("pair"));
        // Merges with both records as they were, and their undoing: the audit of merges, never deleted.
        this.merges = db.getCollection("merges");
        merges.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // Unlinks (a linked registration split off into the agency's own record): the audit of unlinks,
        // never deleted; the unique key makes a retried unlink find the first.
        this.unlinks = db.getCollection("unlinks");
        unlinks.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        people.createIndex(Indexes.ascending("idempotencyKey"), new IndexOptions().unique(true).name("idempotency_key"));
        // Blocking index (docs/people-directory-scale.md): one document per key - a pair of phonetic
        // codes and dates (PersonMatcher#blockingKeys) or an exact identifier ("id:TYPE:value") - holding
        // the ids of the people who have it. Reads are primary-key lookups, which the embedded wire server
        // serves from its _id index (it scans for everything else); a real MongoDB would serve the same
        // from multikey indexes on the people documents (see the scale document).
        this.blocks = db.getCollection("match_blocks");
        if (blocks.find(Filters.eq("_id", RETRY_KEYS_INDEXED)).first() == null) {
            // Registrations stored before retries were found through the index: one scan, once per database;
            // adding is idempotent, so two instances starting together or an interrupted run are harmless.
            for (Document d : people.find().projection(new Document("idempotencyKey", 1).append("dateOfBirth", 1))) {
                String key = d.getString("idempotencyKey");
                if (key != null && !key.equals(ownKey(d.getString("_id")))) {
                    blocks.updateOne(Filters.eq("_id", retryKey(key)), Updates.addToSet("ids",
                                    d.getString("_id") + "|" + (d.getString("dateOfBirth") == null ? "" : d.getString("dateOfBirth"))),
                            new com.mongodb.client.model.UpdateOptions().upsert(true));
                }
            }
            blocks.updateOne(Filters.eq("_id", RETRY_KEYS_INDEXED), Updates.set("done", true),
                    new com.mongodb.client.model.UpdateOptions().upsert(true));
        }
    }

    /** Marks a database whose earlier registrations' retry keys are in {@code match_blocks}. */
    static final String RETRY_KEYS_INDEXED = "#retry-keys-indexed";

    /** The index key under which a registration's idempotency key finds its record ("rq:<key>"). */
    static String retryKey(String idempotencyKey) {
        return "rq:" + idempotencyKey;
    }

    /** The idempotency key of a registration that gave none: its own id, which no later request can name. */
    static String ownKey(String personId) {
        return "id:" + personId;
    }

    @Override
    public RegistrationCandidates findForRegistration(String idempotencyKey, List<Identifier> identifiers,
                                                      Set<String> matchKeys, java.util.function.Predicate<PersonMatcher.Indexed> entry,
                                                      int limit) {
        String retry = idempotencyKey == null ? null : retryKey(idempotencyKey);
        Set<String> identifierKeys = new java.util.LinkedHashSet<>();
        identifiers.forEach(i -> identifierKeys.add(identifierKey(i.type(), i.value())));
        Set<String> keys = new java.util.LinkedHashSet<>(matchKeys);
        keys.addAll(identifierKeys);
        if (retry != null) {
            keys.add(retry);
        }
        if (keys.isEmpty()) {
            return new RegistrationCandidates(Optional.empty(), List.of(), List.of());
        }
        java.util.SortedSet<String> retried = new java.util.TreeSet<>();
        java.util.SortedSet<String> holders = new java.util.TreeSet<>();
        List<Document> matchBlocks = new ArrayList<>();
        for (Document block : blocks.find(Filters.in("_id", keys))) {
            String key = block.getString("_id");
            if (key.equals(retry)) {
                entryIds(block).forEach(retried::add);
            } else if (identifierKeys.contains(key)) {
                entryIds(block).forEach(holders::add);
            }
            // a key may be asked for more than one reason
            if (matchKeys.contains(key)) {
                matchBlocks.add(block);
            }
        }
        java.util.SortedSet<String> matches = blockIds(matchBlocks, entry, limit);
        java.util.SortedSet<String> all = new java.util.TreeSet<>(matches);
        all.addAll(retried);
        all.addAll(holders);
        Optional<Person> retriedPerson = Optional.empty();
        List<Person> holding = new ArrayList<>();
        List<Person> matching = new ArrayList<>();
        if (!all.isEmpty()) {
            for (Document d : people.find(Filters.in("_id", all)).sort(Sorts.ascending("_id"))) {
                String id = d.getString("_id");
                Person p = fromDocument(d);
                if (retried.contains(id) && idempotencyKey.equals(d.getString("idempotencyKey")) && retriedPerson.isEmpty()) {
                    retriedPerson = Optional.of(p);
                }
                // the index may hold more than is true (it is only ever added to): check the record itself
                if (holders.contains(id) && identifiers.stream().anyMatch(i -> holds(p, i.type(), i.value()))) {
                    holding.add(p);
                }
                if (matches.contains(id)) {
                    matching.add(p);
                }
            }
        }
        return new RegistrationCandidates(retriedPerson, holding, matching);
    }

    /** The person ids of a block's entries, whatever their date of birth. */
    private static List<String> entryIds(Document block) {
        List<String> out = new ArrayList<>();
        for (String entry : block.getList("ids", String.class)) {
            int bar = entry.indexOf('|');
            out.add(bar < 0 ? entry : entry.substring(0, bar));
        }
        return out;
    }

    private static boolean holds(Person p, IdentifierType type, String value) {
        return java.util.stream.Stream.concat(p.identifiers().stream(), p.links().stream().flatMap(l -> l.identifiers().stream()))
                .anyMatch(i -> i.type() == type && i.value().equals(value));
    }

    @Override
    public List<Person> findByIdentifier(IdentifierType type, String value) {
        List<Person> out = new ArrayList<>();
        for (Person p : fetch(blockIds(Set.of(identifierKey(type, value)), e -> true, Integer.MAX_VALUE))) {
            // the index may hold more than is true (it is only ever added to): check the record itself
            if (holds(p, type, value)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public List<Person> findByMatchKeys(Set<String> keys, java.util.function.Predicate<PersonMatcher.Indexed> entry, int limit) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return fetch(blockIds(keys, entry, limit));
    }

    /**
     * Ids under any of the keys one of whose entries passes, ordered, at most {@code limit}. An entry is
     * {@code <id>|<date of birth or empty>}, and in a block of people there by their date of birth {@code <id>|<date>|<names>}
     * (docs/people-directory-scale.md); one without the date (written before it was added) always passes,
     * one without the names is judged by its date alone.
     */
    private java.util.SortedSet<String> blockIds(Set<String> keys, java.util.function.Predicate<PersonMatcher.Indexed> entry,
                                                 int limit) {
        return blockIds(blocks.find(Filters.in("_id", keys)), entry, limit);
    }

    private static java.util.SortedSet<String> blockIds(Iterable<Document> found,
                                                        java.util.function.Predicate<PersonMatcher.Indexed> passes, int limit) {
        java.util.TreeSet<String> ids = new java.util.TreeSet<>();
        java.util.Map<String, Boolean> dates = new java.util.HashMap<>();
        for (Document block : found) {
            for (String entry : block.getList("ids", String.class)) {
                int bar = entry.indexOf('|');
                if (bar < 0) {
                    ids.add(entry);
                    continue;
                }
                String id = entry.substring(0, bar);
                int names = entry.indexOf('|', bar + 1);
                String date = names < 0 ? entry.substring(bar + 1) : entry.substring(bar + 1, names);
                // the date alone first (many entries share it), then the names of those it lets through
                if (ids.contains(id) || !dates.computeIfAbsent(date,
                        d -> passes.test(new PersonMatcher.Indexed(entryDate(d), List.of())))) {
                    continue;
                }
                List<PersonName> carried = names < 0 ? List.of() : names(entry.substring(names + 1));
                if (carried.isEmpty() || passes.test(new PersonMatcher.Indexed(entryDate(date), carried))) {
                    ids.add(id);
                }
            }
        }
        while (ids.size() > limit) {
            ids.pollLast();
        }
        return ids;
    }

    private List<Person> fetch(java.util.SortedSet<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return people.find(Filters.in("_id", ids)).sort(Sorts.ascending("_id")).map(MongoPersonRepository::fromDocument)
                .into(new ArrayList<>());
    }

    static String identifierKey(IdentifierType type, String value) {
        return "id:" + type.name() + ":" + value;
    }

    /** Every blocking and identifier key of the record; none for a merged-away record. */
    static Set<String> indexKeys(Person p) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        if (p.mergedInto() != null) {
            return keys;
        }
        keys.addAll(PersonMatcher.blockingKeys(p));
        java.util.stream.Stream.concat(p.identifiers().stream(), p.links().stream().flatMap(l -> l.identifiers().stream()))
                .forEach(i -> keys.add(identifierKey(i.type(), i.value())));
        return keys;
    }

    /**
     * The record's entry in a block: its id and date of birth, so that a search can drop the people of
     * a large block whose date rules them out ({@link PersonMatcher#mayReachThreshold}) without reading them.
     * In a block whose people are there by their date of birth ({@link PersonMatcher#entriesCarryNames}: the
     * date drops next to nobody in it) the entry carries the names too, so that the names can.
     */
    static String blockEntry(Person p, String key) {
        String entry = p.id() + "|" + (p.dateOfBirth() == null ? "" : p.dateOfBirth().toString());
        if (!PersonMatcher.entriesCarryNames(key) || p.preferredName() == null) {
            return entry;
        }
        StringBuilder out = new StringBuilder(entry).append('|');
        List<PersonName> all = new ArrayList<>();
        all.add(p.preferredName());
        all.addAll(p.otherNames());
        for (int i = 0; i < all.size(); i++) {
            if (i > 0) {
                out.append(NAME_SEPARATOR);
            }
            PersonName n = all.get(i);
            out.append(n.givenNames() == null ? "" : n.givenNames()).append(GIVEN_FAMILY_SEPARATOR)
                    .append(n.familyName() == null ? "" : n.familyName());
        }
        return out.toString();
    }

    /*
     * Control characters, which no name may contain (PersonRules), separate the names in an entry. An
     * entry that cannot be read back is judged by its date alone.
     */
    private static final char NAME_SEPARATOR = '\u001e';
    private static final char GIVEN_FAMILY_SEPARATOR = '\u001f';

    private static LocalDate entryDate(String d) {
        return d.isEmpty() ? null : LocalDate.parse(d);
    }

    private static List<PersonName> names(String carried) {
        List<PersonName> out = new ArrayList<>();
        for (String name : carried.split(String.valueOf(NAME_SEPARATOR), -1)) {
            int at = name.indexOf(GIVEN_FAMILY_SEPARATOR);
            if (at < 0) {
                return List.of();
            }
            String given = name.substring(0, at);
            out.add(new PersonName(given.isEmpty() ? null : given, name.substring(at + 1)));
        }
        return out;
    }

    /**
     * Adds the record under its keys, before the record itself is written: an entry may point at a
     * record that never got written (harmless, it is fetched and not found), but a written record is
     * never missing from the index.
     */
    private void index(Person p, String idempotencyKey) {
        List<com.mongodb.client.model.WriteModel<Document>> writes = new ArrayList<>();
        Set<String> keys = indexKeys(p);
        if (idempotencyKey != null && !idempotencyKey.equals(ownKey(p.id()))) {
            keys.add(retryKey(idempotencyKey));
        }
        for (String key : keys) {
            writes.add(new com.mongodb.client.model.UpdateOneModel<>(Filters.eq("_id", key), Updates.addToSet("ids", blockEntry(p, key)),
                    new com.mongodb.client.model.UpdateOptions().upsert(true)));
        }
        if (!writes.isEmpty()) {
            blocks.bulkWrite(writes, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
        }
    }

    /**
     * Loads many new people at once (the benchmark's generator; no idempotency keys, no duplicate
     * check): the blocking index is built in memory and written in one go. Batches may be loaded in
     * parallel (a block another batch created first is added to instead).
     */
    public void bulkLoad(List<Person> batch) {
        java.util.Map<String, List<String>> byKey = new java.util.HashMap<>();
        for (Person p : batch) {
            for (String key : indexKeys(p)) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>(2)).add(blockEntry(p, key));
            }
        }
        // Most keys of a large batch are new (a name code with a date is nearly unique): inserting those
        // as whole documents is several times cheaper on the embedded server than an upsert each.
        List<String> keys = new ArrayList<>(byKey.keySet());
        for (int i = 0; i < keys.size(); i += 10_000) {
            List<String> chunk = keys.subList(i, Math.min(keys.size(), i + 10_000));
            Set<String> existing = new java.util.HashSet<>();
            blocks.find(Filters.in("_id", chunk)).projection(new Document("_id", 1))
                    .forEach(d -> existing.add(d.getString("_id")));
            List<com.mongodb.client.model.WriteModel<Document>> writes = new ArrayList<>(chunk.size());
            for (String key : chunk) {
                writes.add(existing.contains(key)
                        ? new com.mongodb.client.model.UpdateOneModel<>(Filters.eq("_id", key),
                                Updates.addEachToSet("ids", byKey.get(key)), new com.mongodb.client.model.UpdateOptions().upsert(true))
                        : new com.mongodb.client.model.InsertOneModel<>(new Document("_id", key).append("ids", byKey.get(key))));
            }
            try {
                blocks.bulkWrite(writes, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
            } catch (com.mongodb.MongoBulkWriteException e) {
                // another batch loaded at the same time created some of these blocks first: add to them
                List<com.mongodb.client.model.WriteModel<Document>> again = new ArrayList<>();
                for (var error : e.getWriteErrors()) {
                    if (error.getCategory() != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    String key = chunk.get(error.getIndex());
                    again.add(new com.mongodb.client.model.UpdateOneModel<>(Filters.eq("_id", key),
                            Updates.addEachToSet("ids", byKey.get(key)), new com.mongodb.client.model.UpdateOptions().upsert(true)));
                }
                blocks.bulkWrite(again, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
            }
        }
        List<Document> docs = batch.stream().map(p -> asDocument(p).append("idempotencyKey", ownKey(p.id()))).toList();
        for (int i = 0; i < docs.size(); i += 10_000) {
            people.insertMany(docs.subList(i, Math.min(docs.size(), i + 10_000)));
        }
    }

    @Override
    public boolean update(Person person, long expectedVersion) {
        index(person, null);
        Document set = asDocument(person);
        set.remove("_id");
        return people.updateOne(Filters.and(Filters.eq("_id", person.id()), Filters.eq("version", expectedVersion)),
                new Document("$set", set)).getModifiedCount() == 1;
    }

    @Override
    public void queueDuplicateReview(DuplicateReview r) {
        try {
            reviews.insertOne(review(r));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e; // the same pair queued twice stays one review
            }
        }
    }

    @Override
    public List<DuplicateReview> reviews(DuplicateReview.State state, Instant afterCreatedAt, String afterId, int limit) {
        Bson filter = Filters.eq("status", state.name());
        if (afterCreatedAt != null) {
            Date at = Date.from(afterCreatedAt);
            filter = Filters.and(filter, Filters.or(Filters.gt("createdAt", at),
                    Filters.and(Filters.eq("createdAt", at), Filters.gt("_id", afterId))));
        }
        return reviews.find(filter).sort(Sorts.ascending("createdAt", "_id")).limit(limit)
                .map(MongoPersonRepository::review).into(new ArrayList<>());
    }

    @Override
    public Optional<DuplicateReview> findReview(String id) {
        return Optional.ofNullable(reviews.find(Filters.eq("_id", id)).first()).map(MongoPersonRepository::review);
    }

    @Override
    public boolean updateReview(DuplicateReview r, DuplicateReview.State expected) {
        Document set = review(r);
        set.remove("_id");
        return reviews.updateOne(Filters.and(Filters.eq("_id", r.id()), Filters.eq("status", expected.name())),
                new Document("$set", set)).getModifiedCount() == 1;
    }

    @Override
    public List<DuplicateReview> openReviewsBetween(String a, String b) {
        return reviews.find(Filters.and(Filters.eq("status", "OPEN"), Filters.or(
                        Filters.and(Filters.eq("personId", a), Filters.eq("candidateId", b)),
                        Filters.and(Filters.eq("personId", b), Filters.eq("candidateId", a)))))
                .map(MongoPersonRepository::review).into(new ArrayList<>());
    }

    @Override
    public PersonMerge insertMerge(PersonMerge m, String idempotencyKey) {
        try {
            merges.insertOne(merge(m).append("idempotencyKey", idempotencyKey));
            return m;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Document existing = merges.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return merge(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<PersonMerge> findMerge(String id) {
        return Optional.ofNullable(merges.find(Filters.eq("_id", id)).first()).map(MongoPersonRepository::merge);
    }

    @Override
    public boolean markUnmerged(PersonMerge m) {
        return merges.updateOne(Filters.and(Filters.eq("_id", m.id()), Filters.eq("unmergedAt", null)),
                Updates.combine(Updates.set("unmergedBy", actor(m.unmergedBy())),
                        Updates.set("unmergedAt", Date.from(m.unmergedAt())),
                        Updates.set("unmergeReason", m.unmergeReason()))).getModifiedCount() == 1;
    }

    @Override
    public PersonUnlink insertUnlink(PersonUnlink u, String idempotencyKey) {
        try {
            unlinks.insertOne(unlink(u).append("idempotencyKey", idempotencyKey));
            return u;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Optional<PersonUnlink> existing = findUnlink(idempotencyKey);
                if (existing.isPresent()) {
                    return existing.get();
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<PersonUnlink> findUnlink(String idempotencyKey) {
        return Optional.ofNullable(unlinks.find(Filters.eq("idempotencyKey", idempotencyKey)).first())
                .map(MongoPersonRepository::unlink);
    }

    private static Document unlink(PersonUnlink u) {
        return new Document("_id", u.id()).append("personId", u.personId()).append("unlinkedPersonId", u.unlinkedPersonId())
                .append("agency", u.agency()).append("reason", u.reason()).append("unlinkedBy", actor(u.unlinkedBy()))
                .append("unlinkedAt", Date.from(u.unlinkedAt()));
    }

    private static PersonUnlink unlink(Document d) {
        return new PersonUnlink(d.getString("_id"), d.getString("personId"), d.getString("unlinkedPersonId"),
                d.getString("agency"), d.getString("reason"), actor(d.get("unlinkedBy", Document.class)),
                d.getDate("unlinkedAt").toInstant());
    }

    @Override
    public Optional<Person> findByIdempotencyKey(String idempotencyKey) {
        return Optional.ofNullable(people.find(Filters.eq("idempotencyKey", idempotencyKey)).first())
                .map(MongoPersonRepository::fromDocument);
    }

    @Override
    public Person insertOnce(Person person, String idempotencyKey) {
        Document doc = asDocument(person).append("idempotencyKey", idempotencyKey);
        index(person, idempotencyKey);
        try {
            people.insertOne(doc);
            return person;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                Document existing = people.find(Filters.eq("idempotencyKey", idempotencyKey)).first();
                if (existing != null) {
                    return fromDocument(existing);
                }
            }
            throw e;
        }
    }

    @Override
    public Optional<Person> findById(String id) {
        return Optional.ofNullable(people.find(Filters.eq("_id", id)).first()).map(MongoPersonRepository::fromDocument);
    }

    static Document asDocument(Person p) {
        return new Document("_id", p.id())
                .append("identifiers", identifiers(p.identifiers()))
                .append("preferredName", name(p.preferredName()))
                .append("otherNames", p.otherNames().stream().map(MongoPersonRepository::name).toList())
                .append("dateOfBirth", p.dateOfBirth() == null ? null : p.dateOfBirth().toString())
                .append("contactDetails", contacts(p.contactDetails()))
                .append("careTeam", p.careTeam().stream().map(m -> new Document("agency", m.agency())
                        .append("agencyType", m.agencyType().name()).append("role", m.role())
                        .append("leadContact", new Document("displayName", m.leadContact().displayName())
                                .append("phone", m.leadContact().phone()).append("email", m.leadContact().email()))
                        .append("joinedAt", Date.from(m.joinedAt()))).toList())
                .append("careTeamHistory", p.careTeamHistory().stream().map(e -> new Document("agency", e.agency())
                        .append("agencyType", e.agencyType().name()).append("kind", e.kind().name())
                        .append("role", e.role()).append("at", Date.from(e.at())).append("actor", actor(e.actor()))
                        .append("reason", e.reason())).toList())
                .append("links", p.links().stream().map(l -> new Document("by", actor(l.by()))
                        .append("identifiers", identifiers(l.identifiers()))
                        .append("preferredName", name(l.preferredName()))
                        .append("otherNames", l.otherNames().stream().map(MongoPersonRepository::name).toList())
                        .append("dateOfBirth", l.dateOfBirth() == null ? null : l.dateOfBirth().toString())
                        .append("contactDetails", contacts(l.contactDetails()))
                        .append("gender", l.gender() == null ? null : l.gender().name())
                        .append("linkedAt", Date.from(l.linkedAt()))).toList())
                .append("mergedInto", p.mergedInto())
                .append("registeredBy", actor(p.registeredBy()))
                .append("createdAt", Date.from(p.createdAt()))
                .append("updatedAt", Date.from(p.updatedAt()))
                .append("version", p.version())
                .append("gender", p.gender() == null ? null : p.gender().name());
    }

    static Person fromDocument(Document d) {
        return new Person(
                d.getString("_id"),
                identifiersOf(d.getList("identifiers", Document.class)),
                name(d.get("preferredName", Document.class)),
                d.getList("otherNames", Document.class).stream().map(MongoPersonRepository::name).toList(),
                date(d.getString("dateOfBirth")),
                contactsOf(d.getList("contactDetails", Document.class)),
                d.getList("careTeam", Document.class).stream().map(m -> {
                    Document lead = m.get("leadContact", Document.class);
                    return new CareTeamMember(m.getString("agency"), AgencyType.valueOf(m.getString("agencyType")),
                            m.getString("role"), lead == null ? null : new LeadContact(lead.getString("displayName"),
                            lead.getString("phone"), lead.getString("email")), m.getDate("joinedAt").toInstant());
                }).toList(),
                actor(d.get("registeredBy", Document.class)),
                d.getDate("createdAt").toInstant(),
                d.getDate("updatedAt").toInstant(),
                ((Number) d.get("version")).longValue(),
                d.getString("gender") == null ? null : Gender.valueOf(d.getString("gender")),
                d.getList("links", Document.class, List.of()).stream().map(l -> new LinkedRegistration(
                        actor(l.get("by", Document.class)), identifiersOf(l.getList("identifiers", Document.class)),
                        name(l.get("preferredName", Document.class)),
                        l.getList("otherNames", Document.class).stream().map(MongoPersonRepository::name).toList(),
                        date(l.getString("dateOfBirth")), contactsOf(l.getList("contactDetails", Document.class)),
                        l.getString("gender") == null ? null : Gender.valueOf(l.getString("gender")),
                        l.getDate("linkedAt").toInstant())).toList(),
                d.getList("careTeamHistory", Document.class, List.of()).stream().map(e -> new CareTeamEvent(
                        e.getString("agency"), AgencyType.valueOf(e.getString("agencyType")),
                        CareTeamEvent.Kind.valueOf(e.getString("kind")), e.getString("role"), e.getDate("at").toInstant(),
                        actor(e.get("actor", Document.class)), e.getString("reason"))).toList(),
                d.getString("mergedInto"));
    }

    private static List<Document> identifiers(List<Identifier> ids) {
        return ids.stream().map(i -> new Document("type", i.type().name()).append("value", i.value())
                .append("issuingAgency", i.issuingAgency())).toList();
    }

    private static List<Identifier> identifiersOf(List<Document> ds) {
        return ds.stream().map(i -> new Identifier(IdentifierType.valueOf(i.getString("type")), i.getString("value"),
                i.getString("issuingAgency"))).toList();
    }

    private static List<Document> contacts(List<ContactDetail> cs) {
        return cs.stream().map(c -> new Document("method", c.method().name()).append("value", c.value())
                .append("safeToContact", c.safeToContact()).append("preferred", c.preferred())).toList();
    }

    private static List<ContactDetail> contactsOf(List<Document> ds) {
        return ds.stream().map(c -> new ContactDetail(ContactDetail.Method.valueOf(c.getString("method")),
                c.getString("value"), c.getBoolean("safeToContact", false), c.getBoolean("preferred", false))).toList();
    }

    private static LocalDate date(String s) {
        return s == null ? null : LocalDate.parse(s);
    }

    private static Document actor(Actor a) {
        return a == null ? null : new Document("subject", a.subject()).append("agency", a.agency())
                .append("agencyType", a.agencyType().name());
    }

    private static Actor actor(Document d) {
        return d == null ? null : new Actor(d.getString("subject"), d.getString("agency"),
                AgencyType.valueOf(d.getString("agencyType")));
    }

    private static Document review(DuplicateReview r) {
        return new Document("_id", r.id()).append("pair", r.personId() + ":" + r.candidateId())
                .append("personId", r.personId()).append("candidateId", r.candidateId())
                .append("kind", r.kind().name()).append("score", r.score())
                .append("registeringAgency", r.registeringAgency()).append("status", r.state().name())
                .append("createdAt", Date.from(r.createdAt())).append("resolution", r.resolution());
    }

    private static DuplicateReview review(Document d) {
        return new DuplicateReview(d.getString("_id"), d.getString("personId"), d.getString("candidateId"),
                DuplicateReview.Kind.valueOf(d.getString("kind")), d.getDouble("score"), d.getString("registeringAgency"),
                DuplicateReview.State.valueOf(d.getString("status")), d.getDate("createdAt").toInstant(),
                d.getString("resolution") == null ? "" : d.getString("resolution"));
    }

    private static Document merge(PersonMerge m) {
        return new Document("_id", m.id()).append("survivorId", m.survivorId()).append("mergedId", m.mergedId())
                .append("reason", m.reason()).append("mergedBy", actor(m.mergedBy()))
                .append("mergedAt", Date.from(m.mergedAt()))
                .append("survivorBefore", asDocument(m.survivorBefore()))
                .append("mergedBefore", asDocument(m.mergedBefore()))
                .append("survivorVersionAfter", m.survivorVersionAfter())
                .append("unmergedBy", actor(m.unmergedBy()))
                .append("unmergedAt", m.unmergedAt() == null ? null : Date.from(m.unmergedAt()))
                .append("unmergeReason", m.unmergeReason());
    }

    private static PersonMerge merge(Document d) {
        return new PersonMerge(d.getString("_id"), d.getString("survivorId"), d.getString("mergedId"),
                d.getString("reason"), actor(d.get("mergedBy", Document.class)), d.getDate("mergedAt").toInstant(),
                fromDocument(d.get("survivorBefore", Document.class)), fromDocument(d.get("mergedBefore", Document.class)),
                ((Number) d.get("survivorVersionAfter")).longValue(), actor(d.get("unmergedBy", Document.class)),
                d.getDate("unmergedAt") == null ? null : d.getDate("unmergedAt").toInstant(), d.getString("unmergeReason"));
    }

    private static Document name(PersonName n) {
        return n == null ? null : new Document("givenNames", n.givenNames()).append("familyName", n.familyName());
    }

    private static PersonName name(Document d) {
        return d == null ? null : new PersonName(d.getString("givenNames"), d.getString("familyName"));
    }

    List<Document> raw() {
        return people.find().into(new java.util.ArrayList<>());
    }
}

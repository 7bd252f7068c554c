package bridge.people.api;

import static bridge.people.api.PeopleDirectoryGrpcServiceTest.catchStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.people.PeopleDirectoryApplication;
import bridge.people.domain.PersonRepository;
import bridge.people.domain.Stewardship;
import bridge.proto.people.v1.CareTeamEvent;
import bridge.proto.people.v1.CareTeamEventKind;
import bridge.proto.people.v1.CareTeamMember;
import bridge.proto.people.v1.ContactDetail;
import bridge.proto.people.v1.ContactMethod;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.Identifier;
import bridge.proto.people.v1.IdentifierType;
import bridge.proto.people.v1.ListCareTeamRequest;
import bridge.proto.people.v1.LookupPersonRequest;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc.PeopleDirectoryServiceBlockingStub;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PersonName;
import bridge.proto.people.v1.PersonUnlink;
import bridge.proto.people.v1.UnlinkPersonRequest;
import bridge.support.consent.DataCategory;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import bridge.support.mongo.Ids;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A data steward undoes a wrong silent link (ADR 0007): the linked agency gets its own record back, the
 * record it was linked to keeps nothing of it, and each agency sees what it saw before, apart from that.
 */
@SpringBootTest(classes = {PeopleDirectoryApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=people-directory", "spring.grpc.server.inprocess.name=people-directory-unlink-test",
                "bridge.mongodb.database=people-directory-unlink-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnlinkTest {

    @Autowired
    MongoDatabase db;

    @Autowired
    FakeConsentDecisions consent;

    @Autowired
    PersonRepository repository;

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("people-directory-unlink-test").directExecutor().build();

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void noDecisions() {
        consent.withdrawAll();
    }

    private PeopleDirectoryServiceBlockingStub as(String token) {
        return PeopleDirectoryServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner", "worker");
    static final String PRISON_MANAGER = TestTokens.token("hmp-leeds", "PRISON", "governor", "manager");
    static final String POLICE = TestTokens.token("met-police", "POLICE", "officer", "worker");
    static final String STEWARD = TestTokens.token("bridge-platform", "PLATFORM", "steward-1", "data-steward");
    static final String DPO = TestTokens.token("bridge-platform", "PLATFORM", "dpo", "data-protection-officer");
    static final String OPERATOR = TestTokens.token("bridge-platform", "PLATFORM", "op", "platform-operator");

    /** A PNC ID with its check letter: year and serial digits mod 23 (I, O, S omitted). */
    private static Identifier pnc(String yearSlashSerial) {
        long n = Long.parseLong(yearSlashSerial.replace("/", ""));
        return Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_PNC_ID)
                .setValue(yearSlashSerial + "ZABCDEFGHJKLMNPQRTUVWXY".charAt((int) (n % 23))).build();
    }

    private static Identifier caseRef(String v) {
        return Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_AGENCY_CASE_REFERENCE).setValue(v).build();
    }

    private static Person.Builder person(String given, String family, Identifier nhs) {
        return Person.newBuilder().setPreferredName(PersonName.newBuilder().setGivenNames(given).setFamilyName(family))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1968).setMonth(10).setDay(3)).addIdentifiers(nhs);
    }

    private static String id(String name) {
        return name.substring(name.indexOf('/') + 1);
    }

    private Document stored(String name) {
        return db.getCollection("people").find(new Document("_id", id(name))).first();
    }

    private static GetPersonRequest get(String name) {
        return GetPersonRequest.newBuilder().setName(name).build();
    }

    private static LookupPersonRequest lookup(Identifier i) {
        return LookupPersonRequest.newBuilder().setIdentifier(i).build();
    }

    /** The prison's record, and the police's registration of the same NHS number silently linked to it. */
    private record Linked(Person prisons, Person polices, Person.Builder policeRegistration, Identifier pnc) {
    }

    private Linked linked(int seed, String family, String pncDigits, String ref) {
        Identifier nhs = DuplicateRegistrationTest.nhs(seed);
        Identifier pnc = pnc(pncDigits);
        Person prisons = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(person("Oswin", family, nhs)
                .addContactDetails(ContactDetail.newBuilder().setMethod(ContactMethod.CONTACT_METHOD_PHONE).setValue("07700 900555"))).build());
        Person.Builder theirs = person("Oswin", family, nhs).addIdentifiers(pnc).addIdentifiers(caseRef(ref))
                .addOtherNames(PersonName.newBuilder().setGivenNames("Oz").setFamilyName(family))
                .addContactDetails(ContactDetail.newBuilder().setMethod(ContactMethod.CONTACT_METHOD_EMAIL)
                        .setValue("oz@example.org").setSafeToContact(true));
        Person polices = as(POLICE).createPerson(CreatePersonRequest.newBuilder().setPerson(theirs).build());
        assertThat(polices.getName()).as("linked silently").isEqualTo(prisons.getName());
        return new Linked(prisons, polices, theirs, pnc);
    }

    private static UnlinkPersonRequest unlink(String name, String agency, String requestId) {
        return UnlinkPersonRequest.newBuilder().setName(name).setAgency(agency)
                .setReason("the PNC ID belongs to another person, confirmed with the police").setRequestId(requestId).build();
    }

    @Test
    void aStewardSplitsTheLinkedRegistrationOffAndEachAgencySeesWhatItSawBeforeApartFromThat() {
        Linked l = linked(5301001, "Threlkeld", "86/5301001", "MET-5301");
        String original = l.prisons().getName();
        Person policeBefore = as(POLICE).getPerson(get(original));
        Person prisonBefore = as(PRISON).getPerson(get(original));
        consent.grant("hmp-leeds", id(original), DataCategory.JUSTICE);
        Person prisonWithJusticeBefore = as(PRISON).getPerson(get(original));
        consent.withdrawAll();
        assertThat(prisonWithJusticeBefore.getCareTeamList()).extracting(CareTeamMember::getAgency).containsExactly("hmp-leeds", "met-police");
        long records = db.getCollection("people").countDocuments();

        PersonUnlink unlinked = as(STEWARD).unlinkPerson(unlink(original, "met-police", "unlink-1"));
        assertThat(unlinked.getName()).matches("unlinks/[a-z2-9]{20}");
        assertThat(unlinked.getPerson()).isEqualTo(original);
        assertThat(unlinked.getUnlinkedPerson()).matches("people/[a-z2-9]{20}").isNotEqualTo(original);
        assertThat(unlinked.getAgency()).isEqualTo("met-police");
        assertThat(unlinked.getUnlinkedBy().getSubject()).isEqualTo("steward-1");
        assertThat(unlinked.toString()).as("the steward reads no personal data").doesNotContain("Threlkeld").doesNotContain(l.pnc().getValue());
        // a retry is the same unlink and writes nothing
        assertThat(as(STEWARD).unlinkPerson(unlink(original, "met-police", "unlink-1"))).isEqualTo(unlinked);
        assertThat(db.getCollection("people").countDocuments()).isEqualTo(records + 1);
        String own = unlinked.getUnlinkedPerson();

        // the police: the old id is not found (it may not see the prison's record), its own record is what it registered
        assertThat(catchStatus(() -> as(POLICE).getPerson(get(original))).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        Person policeAfter = as(POLICE).getPerson(get(own));
        assertThat(policeAfter.getRegisteredBy().getAgency()).isEqualTo("met-police");
        assertThat(policeAfter.getCreateTime()).as("created when it registered").isEqualTo(policeBefore.getCreateTime());
        assertThat(policeAfter.getCareTeamList()).extracting(CareTeamMember::getName).containsExactly(own + "/careTeam/met-police");
        assertThat(policeAfter.toBuilder().clearName().clearUpdateTime().clearEtag().clearCareTeam().build())
                .isEqualTo(policeBefore.toBuilder().clearName().clearUpdateTime().clearEtag().clearCareTeam().build());
        assertThat(policeAfter.getCareTeam(0).toBuilder().clearName().build())
                .isEqualTo(policeBefore.getCareTeam(0).toBuilder().clearName().build());
        assertThat(policeAfter.toString()).doesNotContain("900555").doesNotContain("hmp-leeds");
        for (Identifier i : List.of(l.pnc(), caseRef("MET-5301"), l.policeRegistration().getIdentifiers(0))) {
            assertThat(as(POLICE).lookupPerson(lookup(i)).getName()).as(i.getValue()).isEqualTo(own);
        }
        assertThat(as(POLICE).listCareTeam(ListCareTeamRequest.newBuilder().setParent(own).build()).getHistoryList())
                .extracting(CareTeamEvent::getKind).containsExactly(CareTeamEventKind.CARE_TEAM_EVENT_KIND_JOINED,
                        CareTeamEventKind.CARE_TEAM_EVENT_KIND_UNLINKED);
        // registering again meets its own record, and is never linked back to the prison's
        Person again = as(POLICE).createPerson(CreatePersonRequest.newBuilder().setPerson(l.policeRegistration())
                .setRequestId("police-again").build());
        assertThat(again.getName()).isEqualTo(own);
        assertThat(stored(original).getList("links", Document.class)).isEmpty();

        // the prison: unchanged apart from the police's entry, which it saw only under JUSTICE
        assertThat(as(PRISON).getPerson(get(original))).isEqualTo(prisonBefore);
        assertThat(catchStatus(() -> as(PRISON).getPerson(get(own))).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        consent.grant("hmp-leeds", id(original), DataCategory.JUSTICE);
        Person prisonWithJustice = as(PRISON).getPerson(get(original));
        assertThat(prisonWithJustice.getCareTeamList()).extracting(CareTeamMember::getAgency).containsExactly("hmp-leeds");
        assertThat(prisonWithJustice.getIdentifiersList()).extracting(Identifier::getValue)
                .containsExactly(l.prisons().getIdentifiers(0).getValue());
        assertThat(prisonWithJustice.toBuilder().clearCareTeam().clearIdentifiers().clearUpdateTime().clearEtag().build())
                .isEqualTo(prisonWithJusticeBefore.toBuilder().clearCareTeam().clearIdentifiers().clearUpdateTime().clearEtag().build());
        assertThat(as(PRISON).listCareTeam(ListCareTeamRequest.newBuilder().setParent(original).build()).getHistoryList())
                .extracting(e -> e.getAgency() + " " + e.getKind()).containsExactly(
                        "hmp-leeds CARE_TEAM_EVENT_KIND_JOINED", "met-police CARE_TEAM_EVENT_KIND_UNLINKED");
        consent.withdrawAll();

        // stored: the record holds nothing of the police's; the unlink is audited
        Document record = stored(original);
        assertThat(record.getList("careTeam", Document.class)).extracting(d -> d.getString("agency")).containsExactly("hmp-leeds");
        assertThat(record.toJson()).doesNotContain(l.pnc().getValue()).doesNotContain("MET-5301").doesNotContain("oz@example.org");
        Document audit = db.getCollection("unlinks").find(new Document("_id", id(unlinked.getName()))).first();
        assertThat(audit.getString("personId")).isEqualTo(id(original));
        assertThat(audit.getString("unlinkedPersonId")).isEqualTo(id(own));
        assertThat(audit.get("unlinkedBy", Document.class).getString("subject")).isEqualTo("steward-1");
        assertThat(audit.getString("reason")).contains("another person");

        // now it is not linked any more
        StatusRuntimeException notLinked = catchStatus(() -> as(DPO).unlinkPerson(unlink(original, "met-police", "unlink-2")));
        assertThat(notLinked.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(notLinked.getStatus().getDescription()).startsWith("agency: met-police");
    }

    @Test
    void aPoliceWithIdentityMaySeeTheOldRecordButOnlyAsAnyAgencyUnderItsDecisions() {
        Linked l = linked(5302002, "Aldersey", "86/5302002", "MET-5302");
        String original = l.prisons().getName();
        String own = as(STEWARD).unlinkPerson(unlink(original, "met-police", "unlink-identity")).getUnlinkedPerson();
        consent.grant("met-police", id(original), DataCategory.IDENTITY);
        Person seen = as(POLICE).getPerson(get(original));
        assertThat(seen.getRegisteredBy().getAgency()).as("the registrar is shown only under PRISON's categories").isEmpty();
        assertThat(seen.getIdentifiersList()).extracting(Identifier::getValue).doesNotContain(l.pnc().getValue(), "MET-5302");
        assertThat(seen.getContactDetailsList()).as("no CONTACT decision").isEmpty();
        // its own record still comes first when it looks its identifiers up
        assertThat(as(POLICE).lookupPerson(lookup(l.policeRegistration().getIdentifiers(0))).getName()).isEqualTo(own);
    }

    @Test
    void aCrashBetweenTheWritesLeavesNothingHalfDoneOnceRetried() {
        Linked l = linked(5303003, "Brereton", "86/5303003", "MET-5303");
        String original = l.prisons().getName();
        // the store fails on the update of the record, after the agency's new record was written
        PersonRepository crashing = (PersonRepository) Proxy.newProxyInstance(PersonRepository.class.getClassLoader(),
                new Class<?>[] {PersonRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("update")) {
                        throw new IllegalStateException("the process died here");
                    }
                    try {
                        return method.invoke(repository, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Caller steward = new Caller("steward-1", "bridge-platform", AgencyType.PLATFORM, Set.of("data-steward"));
        assertThatThrownBy(() -> new Stewardship(crashing, Clock.systemUTC(), Ids::next, Ids::derived)
                .unlink(steward, id(original), "met-police", "wrong PNC", "crash-1")).hasMessageContaining("died");
        // cut short: the new record is there, the link still on the record
        assertThat(stored(original).getList("links", Document.class)).hasSize(1);
        List<Document> split = db.getCollection("people").find(new Document("registeredBy.agency", "met-police")
                .append("identifiers.value", l.pnc().getValue())).into(new java.util.ArrayList<>());
        assertThat(split).hasSize(1);

        // another request converges on the same new record; the first request's retry answers as the first
        PersonUnlink other = as(STEWARD).unlinkPerson(unlink(original, "met-police", "crash-2"));
        assertThat(other.getUnlinkedPerson()).isEqualTo("people/" + split.get(0).getString("_id"));
        PersonUnlink first = as(STEWARD).unlinkPerson(unlink(original, "met-police", "crash-1"));
        assertThat(first.getUnlinkedPerson()).isEqualTo(other.getUnlinkedPerson());
        assertThat(first.getName()).isNotEqualTo(other.getName());
        assertThat(stored(original).getList("links", Document.class)).isEmpty();
        assertThat(db.getCollection("people").countDocuments(new Document("registeredBy.agency", "met-police")
                .append("identifiers.value", l.pnc().getValue()))).isEqualTo(1);
        assertThat(as(POLICE).getPerson(get(first.getUnlinkedPerson())).getCareTeamList()).hasSize(1);
        assertThat(catchStatus(() -> as(POLICE).getPerson(get(original))).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    /**
     * The cost of one unlink in database round trips (a measure that holds on a busy machine): the
     * commands the store sends, counted by the driver, and no consent decision asked.
     */
    @Test
    void anUnlinkCostsEightDatabaseRoundTripsAndNoDecision() {
        Linked l = linked(5305005, "Dunkerley", "86/5305005", "MET-5305");
        List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.mongodb.event.CommandListener listener = new com.mongodb.event.CommandListener() {
            @Override
            public void commandStarted(com.mongodb.event.CommandStartedEvent e) {
                commands.add(e.getCommandName());
            }
        };
        try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(EmbeddedMongo.uri())).addCommandListener(listener).build())) {
            PersonRepository counted = new bridge.people.persistence.MongoPersonRepository(client.getDatabase(db.getName()));
            Caller steward = new Caller("steward-1", "bridge-platform", AgencyType.PLATFORM, Set.of("data-steward"));
            Stewardship stewardship = new Stewardship(counted, Clock.systemUTC(), Ids::next, Ids::derived);
            int decisions = consent.calls().size();
            commands.clear();
            stewardship.unlink(steward, id(l.prisons().getName()), "met-police", "wrong NHS number", "count-1");
            System.out.printf("unlink: %d database round trips %s%n", commands.size(), commands);
            assertThat(commands).hasSize(8);
            assertThat(consent.calls()).hasSize(decisions);
            commands.clear();
            stewardship.unlink(steward, id(l.prisons().getName()), "met-police", "wrong NHS number", "count-1");
            System.out.printf("unlink retried: %d database round trips %s%n", commands.size(), commands);
            assertThat(commands).as("a retry after completion reads and writes nothing").hasSize(2)
                    .allMatch(c -> c.equals("find"));
        }
    }

    @Test
    void onlyStewardsMayUnlinkAndBadOrImpossibleRequestsChangeNothing() throws Exception {
        Linked l = linked(5304004, "Culcheth", "86/5304004", "MET-5304");
        String original = l.prisons().getName();
        long unlinks = db.getCollection("unlinks").countDocuments();
        Document before = stored(original);
        for (String notSteward : List.of(PRISON, PRISON_MANAGER, POLICE, OPERATOR)) {
            for (UnlinkPersonRequest r : List.of(unlink(original, "met-police", "x"), unlink("people/abcdefghijkmnpqrstu2", "met-police", "x"),
                    UnlinkPersonRequest.newBuilder().setName("nonsense").build())) {
                StatusRuntimeException e = catchStatus(() -> as(notSteward).unlinkPerson(r));
                assertThat(e.getStatus().getCode()).as("refused before anything is read").isEqualTo(Status.Code.PERMISSION_DENIED);
            }
        }
        assertThat(fields(catchStatus(() -> as(STEWARD).unlinkPerson(unlink(original, "met-police", "bad-1").toBuilder()
                .clearReason().build())))).containsExactly("reason");
        assertThat(fields(catchStatus(() -> as(STEWARD).unlinkPerson(unlink(original, "", "bad-2").toBuilder()
                .setReason("   ").build())))).containsExactly("agency", "reason");
        assertThat(fields(catchStatus(() -> as(STEWARD).unlinkPerson(unlink("persons/x", "met-police", "bad-3"))))).containsExactly("name");
        assertThat(catchStatus(() -> as(STEWARD).unlinkPerson(unlink("people/abcdefghijkmnpqrstu2", "met-police", "bad-4")))
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        for (String notLinked : List.of("leeds-housing", "hmp-leeds")) {
            StatusRuntimeException e = catchStatus(() -> as(DPO).unlinkPerson(unlink(original, notLinked, "bad-" + notLinked)));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).startsWith("agency: " + notLinked);
            assertThat(StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst()
                    .orElseThrow().unpack(ErrorInfo.class).getReason()).isEqualTo("NOT_LINKED");
        }
        assertThat(db.getCollection("unlinks").countDocuments()).isEqualTo(unlinks);
        assertThat(stored(original)).isEqualTo(before);
    }

    private static List<String> fields(StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(BadRequest.class))
                .flatMap(a -> {
                    try {
                        return a.unpack(BadRequest.class).getFieldViolationsList().stream();
                    } catch (Exception x) {
                        throw new IllegalStateException(x);
                    }
                }).map(BadRequest.FieldViolation::getField).toList();
    }
}

package bridge.people.api;

import bridge.support.testing.ServiceTestBeans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.people.PeopleDirectoryApplication;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.Gender;
import bridge.proto.people.v1.Identifier;
import bridge.proto.people.v1.LookupPersonRequest;
import bridge.proto.people.v1.PersonCandidate;
import bridge.proto.people.v1.SearchPeopleRequest;
import bridge.proto.people.v1.SearchPeopleResponse;
import bridge.proto.people.v1.IdentifierType;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc.PeopleDirectoryServiceBlockingStub;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PersonName;
import bridge.support.consent.DataCategory;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.TestTokens;
import com.google.rpc.BadRequest;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The people directory over in-process gRPC, against the embedded Mongo wire server. */
@SpringBootTest(classes = {PeopleDirectoryApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=people-directory", "spring.grpc.server.inprocess.name=people-directory-test",
                "bridge.mongodb.database=people-directory-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeopleDirectoryGrpcServiceTest {


    @Autowired
    FakeConsentDecisions consent;

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("people-directory-test").directExecutor().build();

    @Autowired
    MongoDatabase db;

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private PeopleDirectoryServiceBlockingStub as(String token) {
        return PeopleDirectoryServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner", "worker");
    private static final String POLICE = TestTokens.token("met-police", "POLICE", "officer", "worker");

    private static Person.Builder alex() {
        return Person.newBuilder()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Alex").setFamilyName("Morgan"))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1988).setMonth(4).setDay(12))
                .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_NHS_NUMBER).setValue("943 476 5919"))
                .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_PRISON_NUMBER).setValue("a1234bc"));
    }

    @Test
    void registersAndReadsBackAPerson() {
        Person created = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(alex()).build());
        assertThat(created.getName()).startsWith("people/");
        assertThat(created.getIdentifiers(0).getValue()).isEqualTo("9434765919");
        assertThat(created.getIdentifiers(1).getValue()).isEqualTo("A1234BC");
        assertThat(created.getRegisteredBy().getAgency()).isEqualTo("hmp-leeds");
        assertThat(created.getCareTeam(0).getAgency()).isEqualTo("hmp-leeds");

        Person read = as(PRISON).getPerson(GetPersonRequest.newBuilder().setName(created.getName()).build());
        assertThat(read).isEqualTo(created);

        Document stored = db.getCollection("people").find(new Document("_id", created.getName().substring(7))).first();
        assertThat(stored).isNotNull();
        assertThat(stored.get("preferredName", Document.class).getString("familyName")).isEqualTo("Morgan");
    }

    @Test
    void anotherAgencyWithNoRelationshipIsToldNotFound() {
        Person created = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(alex()).build());
        assertThatThrownBy(() -> as(POLICE).getPerson(GetPersonRequest.newBuilder().setName(created.getName()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).doesNotContain("Morgan");
                });
    }

    @Test
    void anotherAgencySeesOnlyWhatTheDecisionsAllowAndIsToldWhatWasWithheld() {
        Person created = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(alex()
                .addContactDetails(bridge.proto.people.v1.ContactDetail.newBuilder()
                        .setMethod(bridge.proto.people.v1.ContactMethod.CONTACT_METHOD_PHONE).setValue("07700 900123")))
                .build());
        String id = created.getName().substring("people/".length());
        String treatment = TestTokens.token("forward-leeds", "TREATMENT", "keyworker", "worker");
        GetPersonRequest get = GetPersonRequest.newBuilder().setName(created.getName()).build();

        consent.grant("forward-leeds", id, DataCategory.IDENTITY);
        Person seen = as(treatment).getPerson(get);
        assertThat(seen.getPreferredName().getFamilyName()).isEqualTo("Morgan");
        assertThat(seen.getContactDetailsList()).isEmpty();
        // the prison's care-team entry reveals JUSTICE, which is not allowed
        assertThat(seen.getCareTeamList()).isEmpty();
        assertThat(seen.hasRegisteredBy()).isFalse();
        assertThat(seen.getWithheldCategoriesList()).contains(
                bridge.proto.common.v1.DataCategory.DATA_CATEGORY_CONTACT,
                bridge.proto.common.v1.DataCategory.DATA_CATEGORY_JUSTICE)
                .doesNotContain(bridge.proto.common.v1.DataCategory.DATA_CATEGORY_IDENTITY);

        consent.grant("forward-leeds", id, DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.JUSTICE);
        Person more = as(treatment).getPerson(get);
        assertThat(more.getContactDetailsList()).hasSize(1);
        assertThat(more.getCareTeam(0).getAgency()).isEqualTo("hmp-leeds");
        assertThat(more.getWithheldCategoriesList()).doesNotContain(bridge.proto.common.v1.DataCategory.DATA_CATEGORY_CONTACT,
                bridge.proto.common.v1.DataCategory.DATA_CATEGORY_JUSTICE);

        // withdrawal: the very next request is refused, as if the person did not exist
        consent.withdrawAll();
        assertThatThrownBy(() -> as(treatment).getPerson(get))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        // the registering agency needs no decision for what it recorded (only for other agencies' entries)
        int before = consent.calls().size();
        assertThat(as(PRISON).getPerson(get).getContactDetailsList()).hasSize(1);
        assertThat(consent.calls().subList(before, consent.calls().size())).singleElement()
                .satisfies(call -> assertThat(call).doesNotContain("IDENTITY").doesNotContain("CONTACT"));
    }

    @Test
    void aRetriedCreateReturnsTheSamePerson() {
        // no identifiers: with them, the other agency's registration would link to the first (ADR 0007)
        CreatePersonRequest request = CreatePersonRequest.newBuilder().setPerson(alex().clearIdentifiers())
                .setRequestId("retry-1").setConfirmNewPerson(true).build();
        Person first = as(PRISON).createPerson(request);
        Person second = as(PRISON).createPerson(request);
        assertThat(second.getName()).isEqualTo(first.getName());
        // the same key from another agency is another request
        Person other = as(TestTokens.token("leeds-housing", "HOUSING", "officer")).createPerson(request);
        assertThat(other.getName()).isNotEqualTo(first.getName());
    }

    @Test
    void badInputNamesTheFieldAndWritesNothing() {
        long before = db.getCollection("people").countDocuments();
        Person bad = alex().setDateOfBirth(com.google.type.Date.newBuilder().setYear(1988).setMonth(2).setDay(30))
                .setPreferredName(PersonName.newBuilder().setGivenNames("   ").setFamilyName("Morgan"))
                .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_NHS_NUMBER).setValue("9434765918"))
                .build();
        assertThatThrownBy(() -> as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(bad).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    BadRequest br = badRequest(e);
                    assertThat(br.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                            .contains("person.date_of_birth", "person.preferred_name.given_names", "person.identifiers[2].value");
                });
        assertThat(db.getCollection("people").countDocuments()).isEqualTo(before);
    }

    @Test
    void refusesCallsWithoutTokenOrWithoutAgency() {
        var noToken = PeopleDirectoryServiceGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> noToken.getPerson(GetPersonRequest.newBuilder().setName("people/x").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> as("not-a-token").getPerson(GetPersonRequest.newBuilder().setName("people/x").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> as(TestTokens.tokenWithoutAgency("someone"))
                .createPerson(CreatePersonRequest.newBuilder().setPerson(alex()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void platformOperatorsSeeNoPersonalData() {
        assertThatThrownBy(() -> as(TestTokens.token("bridge-platform", "PLATFORM", "operator"))
                .createPerson(CreatePersonRequest.newBuilder().setPerson(alex()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    // ---- exact lookup -----------------------------------------------------------------------

    private static LookupPersonRequest lookup(IdentifierType type, String value) {
        return LookupPersonRequest.newBuilder().setIdentifier(Identifier.newBuilder().setType(type).setValue(value)).build();
    }

    @Test
    void looksUpByIdentifierInAnyFormattingOnlyWhereTheCallerMaySee() {
        Person created = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(Person.newBuilder()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Jordan").setFamilyName("Lookupson"))
                .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_PNC_ID).setValue("2012/345678U"))
                .addContactDetails(bridge.proto.people.v1.ContactDetail.newBuilder()
                        .setMethod(bridge.proto.people.v1.ContactMethod.CONTACT_METHOD_PHONE).setValue("07700 900999")))
                .build());
        assertThat(created.getIdentifiers(0).getValue()).isEqualTo("12/0345678U");
        String id = created.getName().substring("people/".length());

        Person found = as(PRISON).lookupPerson(lookup(IdentifierType.IDENTIFIER_TYPE_PNC_ID, " 12/345678u "));
        assertThat(found.getName()).isEqualTo(created.getName());

        // not visible: exactly the answer for an identifier nobody holds
        StatusRuntimeException invisible = catchStatus(() -> as(POLICE).lookupPerson(lookup(IdentifierType.IDENTIFIER_TYPE_PNC_ID, "12/0345678U")));
        StatusRuntimeException nobody = catchStatus(() -> as(POLICE).lookupPerson(lookup(IdentifierType.IDENTIFIER_TYPE_PNC_ID, "79/1234T")));
        assertThat(invisible.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(invisible.getStatus().getDescription()).isEqualTo(nobody.getStatus().getDescription());
        assertThat(invisible.getStatus().getCode()).isEqualTo(nobody.getStatus().getCode());

        consent.grant("met-police", id, DataCategory.IDENTITY);
        Person seen = as(POLICE).lookupPerson(lookup(IdentifierType.IDENTIFIER_TYPE_PNC_ID, "12/0345678U"));
        assertThat(seen.getName()).isEqualTo(created.getName());
        assertThat(seen.getContactDetailsList()).isEmpty();
        assertThat(seen.getWithheldCategoriesList()).contains(bridge.proto.common.v1.DataCategory.DATA_CATEGORY_CONTACT);
        consent.withdrawAll();
        assertThat(catchStatus(() -> as(POLICE).lookupPerson(lookup(IdentifierType.IDENTIFIER_TYPE_PNC_ID, "12/0345678U")))
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void lookupRefusesAnInvalidIdentifierNamingTheFieldAndRule() {
        StatusRuntimeException e = catchStatus(() -> as(PRISON).lookupPerson(lookup(IdentifierType.IDENTIFIER_TYPE_PNC_ID, "12/345678A")));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badRequest(e).getFieldViolationsList()).anySatisfy(v -> {
            assertThat(v.getField()).isEqualTo("identifier.value");
            assertThat(v.getDescription()).contains("PNC_ID").contains("check letter");
        });
        StatusRuntimeException missing = catchStatus(() -> as(PRISON).lookupPerson(LookupPersonRequest.getDefaultInstance()));
        assertThat(badRequest(missing).getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                .contains("identifier");
    }

    // ---- probabilistic search ---------------------------------------------------------------

    private static Person.Builder siobhan() {
        return Person.newBuilder()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Siobhan").setFamilyName("Quillfeather"))
                .addOtherNames(PersonName.newBuilder().setGivenNames("Siobhan").setFamilyName("Brannagh"))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1990).setMonth(3).setDay(7))
                .setGender(Gender.GENDER_FEMALE)
                .addContactDetails(bridge.proto.people.v1.ContactDetail.newBuilder()
                        .setMethod(bridge.proto.people.v1.ContactMethod.CONTACT_METHOD_POSTAL_ADDRESS)
                        .setValue("1 Kirkgate, Leeds LS2 7DJ"));
    }

    @Test
    void searchRanksCandidatesWithReasonsAcrossAliasesAndSwappedDates() {
        Person target = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(siobhan()).build());
        Person other = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(Person.newBuilder()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Sinead").setFamilyName("Quillfeather"))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1962).setMonth(11).setDay(30))).build());

        // typo in the family name, day and month swapped
        SearchPeopleResponse r = as(PRISON).searchPeople(SearchPeopleRequest.newBuilder()
                .setGivenNames("siobhan").setFamilyName("Quilfeather")
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1990).setMonth(7).setDay(3)).build());
        assertThat(r.getCandidatesList()).extracting(c -> c.getPerson().getName()).containsExactly(target.getName());
        PersonCandidate c = r.getCandidates(0);
        assertThat(c.getScore()).isBetween(0.8, 1.0);
        assertThat(c.getReasonsList()).contains("date of birth day/month swapped", "given name exact match");
        assertThat(c.getReasonsList()).anyMatch(s -> s.startsWith("family name"));

        // the previous name finds the person too, and says so
        SearchPeopleResponse byAlias = as(PRISON).searchPeople(SearchPeopleRequest.newBuilder()
                .setGivenNames("Siobhan").setFamilyName("Branagh").setPostcode("ls27dj")
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1990).setMonth(3).setDay(7)).build());
        assertThat(byAlias.getCandidatesList()).extracting(x -> x.getPerson().getName()).containsExactly(target.getName());
        assertThat(byAlias.getCandidates(0).getReasonsList()).anyMatch(s -> s.contains("(other name)"))
                .contains("postcode match", "date of birth exact match");
        assertThat(other.getName()).isNotEqualTo(target.getName());
    }

    @Test
    void searchNeverShowsACandidateTheCallerMayNotSee() {
        Person target = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(siobhan().clearOtherNames()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Morwenna").setFamilyName("Trethewey"))).build());
        String id = target.getName().substring("people/".length());
        SearchPeopleRequest q = SearchPeopleRequest.newBuilder().setGivenNames("Morwenna").setFamilyName("Trethewey")
                .setPostcode("LS2 7DJ").setDateOfBirth(com.google.type.Date.newBuilder().setYear(1990).setMonth(3).setDay(7)).build();
        assertThat(as(POLICE).searchPeople(q).getCandidatesList()).isEmpty();

        consent.grant("met-police", id, DataCategory.IDENTITY);
        SearchPeopleResponse seen = as(POLICE).searchPeople(q);
        assertThat(seen.getCandidatesList()).extracting(x -> x.getPerson().getName()).containsExactly(target.getName());
        // no CONTACT decision: the postcode is not compared, so nothing says where the person lives
        assertThat(seen.getCandidates(0).getReasonsList()).doesNotContain("postcode match");
        assertThat(seen.getCandidates(0).getPerson().getContactDetailsList()).isEmpty();

        consent.withdrawAll();
        assertThat(as(POLICE).searchPeople(q).getCandidatesList()).isEmpty();
    }

    @Test
    void searchRefusesBadInputNamingTheField() {
        StatusRuntimeException e = catchStatus(() -> as(PRISON).searchPeople(SearchPeopleRequest.newBuilder()
                .setFamilyName("   ").setPageSize(-1)
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(2990).setMonth(1).setDay(1)).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badRequest(e).getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                .contains("family_name", "page_size", "date_of_birth");
        StatusRuntimeException impossible = catchStatus(() -> as(PRISON).searchPeople(SearchPeopleRequest.newBuilder()
                .setFamilyName("Morgan").setDateOfBirth(com.google.type.Date.newBuilder().setYear(1990).setMonth(2).setDay(30)).build()));
        assertThat(badRequest(impossible).getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                .contains("date_of_birth");
    }

    static StatusRuntimeException catchStatus(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a gRPC error");
    }

    static BadRequest badRequest(StatusRuntimeException e) {
        try {
            return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(BadRequest.class))
                    .findFirst().orElseThrow().unpack(BadRequest.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }
}

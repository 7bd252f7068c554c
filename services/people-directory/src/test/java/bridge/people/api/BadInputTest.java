package bridge.people.api;

import static bridge.people.api.PeopleDirectoryGrpcServiceTest.catchStatus;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.people.PeopleDirectoryApplication;
import bridge.proto.people.v1.CareTeamMember;
import bridge.proto.people.v1.ContactDetail;
import bridge.proto.people.v1.ContactMethod;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.DismissDuplicateReviewRequest;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.Identifier;
import bridge.proto.people.v1.IdentifierType;
import bridge.proto.people.v1.JoinCareTeamRequest;
import bridge.proto.people.v1.LeadContact;
import bridge.proto.people.v1.LeaveCareTeamRequest;
import bridge.proto.people.v1.ListCareTeamRequest;
import bridge.proto.people.v1.ListDuplicateReviewsRequest;
import bridge.proto.people.v1.LookupPersonRequest;
import bridge.proto.people.v1.MergePeopleRequest;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc.PeopleDirectoryServiceBlockingStub;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PersonName;
import bridge.proto.people.v1.SearchPeopleRequest;
import bridge.proto.people.v1.UnmergePeopleRequest;
import bridge.proto.people.v1.UpdateCareTeamMemberRequest;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import com.google.rpc.BadRequest;
import com.mongodb.client.MongoDatabase;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bad input, RPC by RPC: whitespace-only text, dates in the future, absurd lengths, malformed names -
 * INVALID_ARGUMENT naming the field (BadRequest field violations; the gateway makes them problem+json),
 * no stack trace, and nothing written anywhere.
 */
@SpringBootTest(classes = {PeopleDirectoryApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=people-directory", "spring.grpc.server.inprocess.name=people-directory-bad-input-test",
                "bridge.mongodb.database=people-directory-bad-input-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    @Autowired
    MongoDatabase db;

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("people-directory-bad-input-test").directExecutor().build();

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner", "worker");
    static final String STEWARD = TestTokens.token("bridge-platform", "PLATFORM", "steward-1", "data-steward");

    private PeopleDirectoryServiceBlockingStub as(String token) {
        return PeopleDirectoryServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static Person.Builder valid() {
        return Person.newBuilder().setPreferredName(PersonName.newBuilder().setGivenNames("Idris").setFamilyName("Fenwick-Hale"))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1980).setMonth(1).setDay(1));
    }

    private static com.google.type.Date tomorrow() {
        LocalDate d = LocalDate.now().plusDays(1);
        return com.google.type.Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
    }

    private static CreatePersonRequest create(Person.Builder p) {
        return CreatePersonRequest.newBuilder().setPerson(p).build();
    }

    @Test
    void everyRpcRefusesBadInputNamingTheFieldAndWritesNothing() {
        Person someone = as(PRISON).createPerson(create(valid()));
        String name = someone.getName();
        String big = "x".repeat(10_000);
        Map<String, Function<PeopleDirectoryServiceBlockingStub, Object>> calls = new LinkedHashMap<>();
        Map<String, String> caller = new LinkedHashMap<>();
        // CreatePerson
        calls.put("person.preferred_name.family_name", s -> s.createPerson(create(valid()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Idris").setFamilyName(" \t ")))));
        calls.put("person.preferred_name.given_names", s -> s.createPerson(create(valid()
                .setPreferredName(PersonName.newBuilder().setGivenNames(big).setFamilyName("Fenwick")))));
        calls.put("person.date_of_birth", s -> s.createPerson(create(valid().setDateOfBirth(tomorrow()))));
        calls.put("person.other_names[0].family_name", s -> s.createPerson(create(valid()
                .addOtherNames(PersonName.newBuilder().setFamilyName("   ")))));
        calls.put("person.identifiers[0].value", s -> s.createPerson(create(valid().addIdentifiers(Identifier.newBuilder()
                .setType(IdentifierType.IDENTIFIER_TYPE_AGENCY_CASE_REFERENCE).setValue(big)))));
        calls.put("person.identifiers[0].issuing_agency", s -> s.createPerson(create(valid().addIdentifiers(Identifier.newBuilder()
                .setType(IdentifierType.IDENTIFIER_TYPE_NHS_NUMBER).setValue("943 476 5919").setIssuingAgency("leeds-nhs")))));
        calls.put("person.identifiers[0].type", s -> s.createPerson(create(valid().addIdentifiers(Identifier.newBuilder()
                .setValue("x")))));
        calls.put("person.contact_details[0].value", s -> s.createPerson(create(valid().addContactDetails(ContactDetail.newBuilder()
                .setMethod(ContactMethod.CONTACT_METHOD_PHONE).setValue(big)))));
        calls.put("person.contact_details[0].method", s -> s.createPerson(create(valid().addContactDetails(ContactDetail.newBuilder()
                .setValue("07700 900000")))));
        calls.put("request_id", s -> s.createPerson(create(valid()).toBuilder().setRequestId(big).build()));
        calls.put("person", s -> s.createPerson(CreatePersonRequest.getDefaultInstance()));
        // GetPerson, LookupPerson, SearchPeople
        calls.put("name", s -> s.getPerson(GetPersonRequest.newBuilder().setName("people/" + big).build()));
        calls.put("identifier.value", s -> s.lookupPerson(LookupPersonRequest.newBuilder().setIdentifier(Identifier.newBuilder()
                .setType(IdentifierType.IDENTIFIER_TYPE_PNC_ID).setValue("   ")).build()));
        calls.put("identifier", s -> s.lookupPerson(LookupPersonRequest.getDefaultInstance()));
        calls.put("family_name", s -> s.searchPeople(SearchPeopleRequest.newBuilder().setFamilyName("  ").build()));
        calls.put("given_names", s -> s.searchPeople(SearchPeopleRequest.newBuilder().setFamilyName("Fenwick").setGivenNames(big).build()));
        calls.put("date_of_birth", s -> s.searchPeople(SearchPeopleRequest.newBuilder().setFamilyName("Fenwick")
                .setDateOfBirth(tomorrow()).build()));
        calls.put("postcode", s -> s.searchPeople(SearchPeopleRequest.newBuilder().setFamilyName("Fenwick").setPostcode(big).build()));
        calls.put("page_size", s -> s.searchPeople(SearchPeopleRequest.newBuilder().setFamilyName("Fenwick").setPageSize(-1).build()));
        // care team
        calls.put("role", s -> s.joinCareTeam(JoinCareTeamRequest.newBuilder().setParent(name).setRole(" ").build()));
        calls.put("lead_contact.email", s -> s.joinCareTeam(JoinCareTeamRequest.newBuilder().setParent(name).setRole("r")
                .setLeadContact(LeadContact.newBuilder().setEmail(big)).build()));
        calls.put("parent", s -> s.listCareTeam(ListCareTeamRequest.newBuilder().setParent(big).build()));
        calls.put("reason", s -> s.leaveCareTeam(LeaveCareTeamRequest.newBuilder().setParent(name).setReason(big).build()));
        calls.put("member.role", s -> s.updateCareTeamMember(UpdateCareTeamMemberRequest.newBuilder()
                .setMember(CareTeamMember.newBuilder().setName(name + "/careTeam/hmp-leeds").setRole(big)).build()));
        calls.put("member", s -> s.updateCareTeamMember(UpdateCareTeamMemberRequest.getDefaultInstance()));
        // stewardship
        caller.put("page_token", STEWARD);
        calls.put("page_token", s -> s.listDuplicateReviews(ListDuplicateReviewsRequest.newBuilder().setPageToken(big).build()));
        caller.put("reason ", STEWARD);
        calls.put("reason ", s -> s.dismissDuplicateReview(DismissDuplicateReviewRequest.newBuilder()
                .setName("duplicateReviews/abcdefghijkmnpqrstu2").setReason("\u0000").build()));
        caller.put("survivor", STEWARD);
        calls.put("survivor", s -> s.mergePeople(MergePeopleRequest.newBuilder().setSurvivor(big).setMerged(name).setReason("r").build()));
        caller.put("reason  ", STEWARD);
        calls.put("reason  ", s -> s.unmergePeople(UnmergePeopleRequest.newBuilder().setName("merges/abcdefghijkmnpqrstu2")
                .setReason("  ").build()));

        Map<String, Long> before = counts();
        List<String> failures = new ArrayList<>();
        calls.forEach((field, call) -> {
            StatusRuntimeException e = catchStatus(() -> call.apply(as(caller.getOrDefault(field, PRISON))));
            List<String> fields = StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(BadRequest.class))
                    .flatMap(a -> {
                        try {
                            return a.unpack(BadRequest.class).getFieldViolationsList().stream();
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    }).map(BadRequest.FieldViolation::getField).toList();
            if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT || !fields.contains(field.strip())) {
                failures.add(field + ": " + e.getStatus() + " " + fields);
            }
            assertThat(String.valueOf(e.getStatus().getDescription())).doesNotContain("Exception").doesNotContain("at bridge.")
                    .hasSizeLessThan(2_000);
        });
        assertThat(failures).isEmpty();
        assertThat(counts()).isEqualTo(before);
        assertThat(db.getCollection("people").find(new Document("_id", name.substring(7))).first().getLong("version"))
                .isEqualTo(1L);
    }

    private Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String c : List.of("people", "duplicate_reviews", "merges")) {
            out.put(c, db.getCollection(c).countDocuments());
        }
        return out;
    }
}

package bridge.people.api;

import static bridge.people.api.PeopleDirectoryGrpcServiceTest.catchStatus;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.people.PeopleDirectoryApplication;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.people.v1.CareTeamEvent;
import bridge.proto.people.v1.CareTeamEventKind;
import bridge.proto.people.v1.CareTeamMember;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.JoinCareTeamRequest;
import bridge.proto.people.v1.LeadContact;
import bridge.proto.people.v1.LeaveCareTeamRequest;
import bridge.proto.people.v1.ListCareTeamRequest;
import bridge.proto.people.v1.ListCareTeamResponse;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc.PeopleDirectoryServiceBlockingStub;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PersonName;
import bridge.proto.people.v1.UpdateCareTeamMemberRequest;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.ServiceTestBeans;
import bridge.support.testing.TestTokens;
import com.google.protobuf.FieldMask;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The care team over gRPC: joining, leaving, the lead contact, history, and what each caller may see of it. */
@SpringBootTest(classes = {PeopleDirectoryApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=people-directory", "spring.grpc.server.inprocess.name=people-directory-care-team-test",
                "bridge.mongodb.database=people-directory-care-team-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CareTeamTest {

    @Autowired
    FakeConsentDecisions consent;

    @Autowired
    MongoDatabase db;

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("people-directory-care-team-test").directExecutor().build();

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void withdraw() {
        consent.withdrawAll();
    }

    private PeopleDirectoryServiceBlockingStub as(String token) {
        return PeopleDirectoryServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner", "worker");
    static final String TREATMENT = TestTokens.token("forward-leeds", "TREATMENT", "keyworker", "worker");
    static final String HEALTH = TestTokens.token("leeds-nhs", "HEALTH", "clinician", "worker");
    static final String POLICE = TestTokens.token("met-police", "POLICE", "officer", "worker");

    private Person register(String given, String family) {
        return as(PRISON).createPerson(CreatePersonRequest.newBuilder().setConfirmNewPerson(true).setPerson(Person.newBuilder()
                .setPreferredName(PersonName.newBuilder().setGivenNames(given).setFamilyName(family))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1984).setMonth(2).setDay(29))).build());
    }

    private static String id(Person p) {
        return p.getName().substring("people/".length());
    }

    private ListCareTeamResponse list(String token, Person p) {
        return as(token).listCareTeam(ListCareTeamRequest.newBuilder().setParent(p.getName()).build());
    }

    private static LeadContact lead(String name, String phone, String email) {
        return LeadContact.newBuilder().setDisplayName(name).setPhone(phone).setEmail(email).build();
    }

    @Test
    void agenciesJoinWithALeadContactAndEachEntryIsShownOnlyUnderItsCategory() {
        Person p = register("Dorcas", "Penhaligon");
        consent.grant("forward-leeds", id(p), bridge.support.consent.DataCategory.IDENTITY);
        consent.grant("leeds-nhs", id(p), bridge.support.consent.DataCategory.IDENTITY);
        CareTeamMember keyworker = as(TREATMENT).joinCareTeam(JoinCareTeamRequest.newBuilder().setParent(p.getName())
                .setRole("keyworker").setLeadContact(lead("Sam Okoro", "0113 496 0000", "sam.okoro@forward-leeds.example")).build());
        assertThat(keyworker.getName()).isEqualTo(p.getName() + "/careTeam/forward-leeds");
        assertThat(keyworker.getAgencyType()).isEqualTo(bridge.proto.common.v1.AgencyType.AGENCY_TYPE_TREATMENT);
        assertThat(keyworker.getLeadContact().getDisplayName()).isEqualTo("Sam Okoro");
        assertThat(keyworker.hasJoinTime()).isTrue();
        as(HEALTH).joinCareTeam(JoinCareTeamRequest.newBuilder().setParent(p.getName()).setRole("community mental health team").build());

        // the registering prison: the treatment entry reveals SUBSTANCE_USE, the health one MENTAL and PHYSICAL_HEALTH
        ListCareTeamResponse bare = list(PRISON, p);
        assertThat(bare.getMembersList()).extracting(CareTeamMember::getAgency).containsExactly("hmp-leeds");
        assertThat(bare.getHistoryList()).extracting(CareTeamEvent::getAgency).containsOnly("hmp-leeds");
        assertThat(bare.getWithheldCategoriesList()).contains(DataCategory.DATA_CATEGORY_SUBSTANCE_USE,
                DataCategory.DATA_CATEGORY_MENTAL_HEALTH);
        assertThat(bare.toString()).doesNotContain("Okoro");

        consent.grant("hmp-leeds", id(p), bridge.support.consent.DataCategory.SUBSTANCE_USE,
                bridge.support.consent.DataCategory.MENTAL_HEALTH);
        ListCareTeamResponse some = list(PRISON, p);
        assertThat(some.getMembersList()).extracting(CareTeamMember::getAgency).containsExactly("hmp-leeds", "forward-leeds");
        assertThat(some.getMembers(1).getLeadContact().getEmail()).isEqualTo("sam.okoro@forward-leeds.example");

        consent.grant("hmp-leeds", id(p), bridge.support.consent.DataCategory.SUBSTANCE_USE,
                bridge.support.consent.DataCategory.MENTAL_HEALTH, bridge.support.consent.DataCategory.PHYSICAL_HEALTH);
        ListCareTeamResponse all = list(PRISON, p);
        assertThat(all.getMembersList()).extracting(CareTeamMember::getAgency)
                .containsExactly("hmp-leeds", "forward-leeds", "leeds-nhs");
        assertThat(all.getHistoryList()).extracting(e -> e.getAgency() + " " + e.getKind()).containsExactly(
                "hmp-leeds CARE_TEAM_EVENT_KIND_JOINED", "forward-leeds CARE_TEAM_EVENT_KIND_JOINED",
                "leeds-nhs CARE_TEAM_EVENT_KIND_JOINED");
        // GetPerson filters the same way
        assertThat(as(PRISON).getPerson(GetPersonRequest.newBuilder().setName(p.getName()).build()).getCareTeamCount()).isEqualTo(3);

        // the treatment service sees the prison's entry only under JUSTICE
        assertThat(list(TREATMENT, p).getMembersList()).extracting(CareTeamMember::getAgency).containsExactly("forward-leeds");
    }

    @Test
    void anAgencyChangesItsOwnLeadContactAndLeavesWithAReasonAndTheHistoryKeepsIt() {
        Person p = register("Leofric", "Tremayne");
        consent.grant("forward-leeds", id(p), bridge.support.consent.DataCategory.IDENTITY);
        as(TREATMENT).joinCareTeam(JoinCareTeamRequest.newBuilder().setParent(p.getName()).setRole("keyworker").build());

        CareTeamMember changed = as(TREATMENT).updateCareTeamMember(UpdateCareTeamMemberRequest.newBuilder()
                .setMember(CareTeamMember.newBuilder().setName(p.getName() + "/careTeam/forward-leeds")
                        .setLeadContact(lead("Ana Ruiz", "07700 900777", "")))
                .setUpdateMask(FieldMask.newBuilder().addPaths("lead_contact")).build());
        assertThat(changed.getRole()).isEqualTo("keyworker");
        assertThat(changed.getLeadContact().getDisplayName()).isEqualTo("Ana Ruiz");

        // only the agency itself may change its entry
        StatusRuntimeException other = catchStatus(() -> as(PRISON).updateCareTeamMember(UpdateCareTeamMemberRequest.newBuilder()
                .setMember(CareTeamMember.newBuilder().setName(p.getName() + "/careTeam/forward-leeds").setRole("x")).build()));
        assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        CareTeamMember left = as(TREATMENT).leaveCareTeam(LeaveCareTeamRequest.newBuilder().setParent(p.getName())
                .setReason("treatment completed").build());
        assertThat(left.getAgency()).isEqualTo("forward-leeds");
        assertThat(catchStatus(() -> as(TREATMENT).leaveCareTeam(LeaveCareTeamRequest.newBuilder().setParent(p.getName()).build()))
                .getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);

        consent.grant("hmp-leeds", id(p), bridge.support.consent.DataCategory.SUBSTANCE_USE);
        ListCareTeamResponse team = list(PRISON, p);
        assertThat(team.getMembersList()).extracting(CareTeamMember::getAgency).containsExactly("hmp-leeds");
        assertThat(team.getHistoryList()).extracting(e -> e.getAgency() + " " + e.getKind() + " " + e.getReason()).containsExactly(
                "hmp-leeds CARE_TEAM_EVENT_KIND_JOINED ", "forward-leeds CARE_TEAM_EVENT_KIND_JOINED ",
                "forward-leeds CARE_TEAM_EVENT_KIND_UPDATED ", "forward-leeds CARE_TEAM_EVENT_KIND_LEFT treatment completed");
        assertThat(team.getHistory(3).getActor().getSubject()).isEqualTo("keyworker");
    }

    @Test
    void badInputNamesTheFieldAndWritesNothing() {
        Person p = register("Ysolde", "Carrow");
        consent.grant("forward-leeds", id(p), bridge.support.consent.DataCategory.IDENTITY);
        long version = db.getCollection("people").find(new Document("_id", id(p))).first().getLong("version");
        StatusRuntimeException e = catchStatus(() -> as(TREATMENT).joinCareTeam(JoinCareTeamRequest.newBuilder()
                .setParent(p.getName()).setRole("   ")
                .setLeadContact(lead("x".repeat(101), "call me", "not-an-email")).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(fields(e)).containsExactlyInAnyOrder("role", "lead_contact.display_name", "lead_contact.phone", "lead_contact.email");
        StatusRuntimeException mask = catchStatus(() -> as(PRISON).updateCareTeamMember(UpdateCareTeamMemberRequest.newBuilder()
                .setMember(CareTeamMember.newBuilder().setName(p.getName() + "/careTeam/hmp-leeds").setRole("r"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("agency")).build()));
        assertThat(fields(mask)).containsExactly("update_mask");
        StatusRuntimeException name = catchStatus(() -> as(PRISON).updateCareTeamMember(UpdateCareTeamMemberRequest.newBuilder()
                .setMember(CareTeamMember.newBuilder().setName("people/x/careTeam/hmp-leeds").setRole("r")).build()));
        assertThat(fields(name)).containsExactly("member.name");
        assertThat(fields(catchStatus(() -> as(PRISON).joinCareTeam(JoinCareTeamRequest.newBuilder().setParent("people/../x")
                .setRole("r").build())))).containsExactly("parent");
        assertThat(db.getCollection("people").find(new Document("_id", id(p))).first().getLong("version")).isEqualTo(version);
    }

    @Test
    void someoneTheCallerMayNotSeeIsNotFoundExactlyAsSomeoneWhoDoesNotExist() {
        Person p = register("Hesper", "Quiller");
        String missing = "people/abcdefghijkmnpqrstu2";
        for (var call : java.util.List.<java.util.function.Function<String, Object>>of(
                n -> as(POLICE).joinCareTeam(JoinCareTeamRequest.newBuilder().setParent(n).setRole("offender manager").build()),
                n -> as(POLICE).leaveCareTeam(LeaveCareTeamRequest.newBuilder().setParent(n).build()),
                n -> as(POLICE).listCareTeam(ListCareTeamRequest.newBuilder().setParent(n).build()),
                n -> as(POLICE).updateCareTeamMember(UpdateCareTeamMemberRequest.newBuilder()
                        .setMember(CareTeamMember.newBuilder().setName(n + "/careTeam/met-police").setRole("r")).build()))) {
            StatusRuntimeException hidden = catchStatus(() -> call.apply(p.getName()));
            StatusRuntimeException none = catchStatus(() -> call.apply(missing));
            assertThat(hidden.getStatus().getCode()).isEqualTo(none.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(hidden.getStatus().getDescription().replace(p.getName(), "X"))
                    .isEqualTo(none.getStatus().getDescription().replace(missing, "X"));
            assertThat(StatusProto.fromThrowable(hidden).getDetailsList())
                    .isEqualTo(StatusProto.fromThrowable(none).getDetailsList());
        }
    }

    private static java.util.List<String> fields(StatusRuntimeException e) {
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

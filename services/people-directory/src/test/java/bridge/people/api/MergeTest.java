package bridge.people.api;

import static bridge.people.api.PeopleDirectoryGrpcServiceTest.catchStatus;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.people.PeopleDirectoryApplication;
import bridge.proto.people.v1.CareTeamMember;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.DuplicateReview;
import bridge.proto.people.v1.DuplicateReviewState;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.Identifier;
import bridge.proto.people.v1.IdentifierType;
import bridge.proto.people.v1.ListDuplicateReviewsRequest;
import bridge.proto.people.v1.LookupPersonRequest;
import bridge.proto.people.v1.MergePeopleRequest;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc.PeopleDirectoryServiceBlockingStub;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PersonMerge;
import bridge.proto.people.v1.PersonName;
import bridge.proto.people.v1.SearchPeopleRequest;
import bridge.proto.people.v1.UnmergePeopleRequest;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A data steward merges two records of one person from the review queue, and undoes it; both audited. */
@SpringBootTest(classes = {PeopleDirectoryApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=people-directory", "spring.grpc.server.inprocess.name=people-directory-merge-test",
                "bridge.mongodb.database=people-directory-merge-test"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MergeTest {

    @Autowired
    MongoDatabase db;

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("people-directory-merge-test").directExecutor().build();

    @AfterAll
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private PeopleDirectoryServiceBlockingStub as(String token) {
        return PeopleDirectoryServiceGrpc.newBlockingStub(channel).withCallCredentials(TestTokens.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    static final String PRISON = TestTokens.token("hmp-leeds", "PRISON", "release-planner", "worker");
    static final String PRISON_MANAGER = TestTokens.token("hmp-leeds", "PRISON", "governor", "manager");
    static final String HOUSING = TestTokens.token("leeds-housing", "HOUSING", "officer", "worker");
    static final String STEWARD = TestTokens.token("bridge-platform", "PLATFORM", "steward-1", "data-steward");

    private static Identifier caseRef(String v) {
        return Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_AGENCY_CASE_REFERENCE).setValue(v).build();
    }

    private static String id(String name) {
        return name.substring(name.indexOf('/') + 1);
    }

    private Document stored(String name) {
        return db.getCollection("people").find(new Document("_id", id(name))).first();
    }

    @Test
    void aStewardMergesAQueuedDuplicateAndUndoesItAndBothAreAudited() {
        Person prisons = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setPerson(Person.newBuilder()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Wilhelmina").setFamilyName("Oduya"))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1977).setMonth(5).setDay(5))
                .addIdentifiers(caseRef("HMP-77"))).build());
        // the housing officer may not see the prison's record: registered, and queued for the steward
        Person housings = as(HOUSING).createPerson(CreatePersonRequest.newBuilder().setPerson(Person.newBuilder()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Wilhelmena").setFamilyName("Oduya"))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1977).setMonth(5).setDay(5))
                .addIdentifiers(caseRef("LH-1234"))).build());
        DuplicateReview review = as(STEWARD).listDuplicateReviews(ListDuplicateReviewsRequest.newBuilder().setPageSize(100).build())
                .getReviewsList().stream().filter(r -> r.getPerson().equals(housings.getName())).findFirst().orElseThrow();
        assertThat(review.getCandidate()).isEqualTo(prisons.getName());

        MergePeopleRequest request = MergePeopleRequest.newBuilder().setSurvivor(prisons.getName())
                .setMerged(housings.getName()).setReason(review.getName() + ": same person, confirmed with both agencies")
                .setRequestId("merge-1").build();
        for (String notSteward : List.of(PRISON, PRISON_MANAGER, HOUSING,
                TestTokens.token("bridge-platform", "PLATFORM", "op", "platform-operator"))) {
            assertThat(catchStatus(() -> as(notSteward).mergePeople(request)).getStatus().getCode())
                    .isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        assertThat(stored(housings.getName()).getString("mergedInto")).isNull();

        PersonMerge merge = as(STEWARD).mergePeople(request);
        assertThat(merge.getName()).startsWith("merges/");
        assertThat(merge.getMergedBy().getSubject()).isEqualTo("steward-1");
        assertThat(merge.getMergedBy().getAgency()).isEqualTo("bridge-platform");
        assertThat(merge.hasMergeTime()).isTrue();
        assertThat(as(STEWARD).mergePeople(request).getName()).as("a retry is the same merge").isEqualTo(merge.getName());

        // combined: identifiers, names and care teams; the merged-away id resolves to the survivor
        Document survivor = stored(prisons.getName());
        assertThat(survivor.getList("careTeam", Document.class)).extracting(d -> d.getString("agency"))
                .containsExactly("hmp-leeds", "leeds-housing");
        assertThat(survivor.getList("identifiers", Document.class)).extracting(d -> d.getString("value"))
                .containsExactly("HMP-77", "LH-1234");
        assertThat(survivor.getList("otherNames", Document.class)).extracting(d -> d.getString("givenNames"))
                .containsExactly("Wilhelmena");
        assertThat(stored(housings.getName()).getString("mergedInto")).isEqualTo(id(prisons.getName()));
        // the housing officer still sees what it recorded, now under the survivor's name
        Person housingView = as(HOUSING).getPerson(GetPersonRequest.newBuilder().setName(housings.getName()).build());
        assertThat(housingView.getName()).isEqualTo(prisons.getName());
        assertThat(housingView.getPreferredName().getGivenNames()).isEqualTo("Wilhelmena");
        assertThat(housingView.toString()).doesNotContain("HMP-77").doesNotContain("hmp-leeds");
        assertThat(as(HOUSING).lookupPerson(LookupPersonRequest.newBuilder().setIdentifier(caseRef("LH-1234")).build()).getName())
                .isEqualTo(prisons.getName());
        // the prison sees the housing entry only under HOUSING; the merged-away record is found by no search
        assertThat(as(PRISON).getPerson(GetPersonRequest.newBuilder().setName(housings.getName()).build())
                .getCareTeamList()).extracting(CareTeamMember::getAgency).containsExactly("hmp-leeds");
        assertThat(as(HOUSING).searchPeople(SearchPeopleRequest.newBuilder().setGivenNames("Wilhelmena").setFamilyName("Oduya")
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(1977).setMonth(5).setDay(5)).build())
                .getCandidatesList()).extracting(c -> c.getPerson().getName()).containsExactly(prisons.getName());
        assertThat(as(STEWARD).listDuplicateReviews(ListDuplicateReviewsRequest.newBuilder().setPageSize(100)
                .setState(DuplicateReviewState.DUPLICATE_REVIEW_STATE_MERGED).build()).getReviewsList())
                .extracting(DuplicateReview::getName).contains(review.getName());
        assertThat(catchStatus(() -> as(STEWARD).mergePeople(request.toBuilder().setRequestId("merge-2").build()))
                .getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);

        // undone: both records as they were, audited
        UnmergePeopleRequest unmerge = UnmergePeopleRequest.newBuilder().setName(merge.getName())
                .setReason("different National Insurance numbers found").build();
        assertThat(catchStatus(() -> as(PRISON_MANAGER).unmergePeople(unmerge)).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        PersonMerge undone = as(STEWARD).unmergePeople(unmerge);
        assertThat(undone.getUnmergedBy().getSubject()).isEqualTo("steward-1");
        assertThat(undone.getUnmergeReason()).isEqualTo("different National Insurance numbers found");
        assertThat(as(HOUSING).getPerson(GetPersonRequest.newBuilder().setName(housings.getName()).build()).getName())
                .isEqualTo(housings.getName());
        assertThat(stored(prisons.getName()).getList("careTeam", Document.class)).extracting(d -> d.getString("agency"))
                .containsExactly("hmp-leeds");
        assertThat(stored(prisons.getName()).getList("otherNames", Document.class)).isEmpty();
        assertThat(stored(housings.getName()).getString("mergedInto")).isNull();
        assertThat(catchStatus(() -> as(STEWARD).unmergePeople(unmerge)).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);

        Document audit = db.getCollection("merges").find(new Document("_id", id(merge.getName()))).first();
        assertThat(audit.get("mergedBy", Document.class).getString("subject")).isEqualTo("steward-1");
        assertThat(audit.getString("reason")).contains("same person");
        assertThat(audit.getDate("mergedAt")).isNotNull();
        assertThat(audit.get("unmergedBy", Document.class).getString("agency")).isEqualTo("bridge-platform");
        assertThat(audit.getDate("unmergedAt")).isNotNull();
    }

    @Test
    void badMergeRequestsNameTheFieldAndChangeNothing() {
        Person p = as(PRISON).createPerson(CreatePersonRequest.newBuilder().setConfirmNewPerson(true).setPerson(Person.newBuilder()
                .setPreferredName(PersonName.newBuilder().setGivenNames("Anselm").setFamilyName("Kettleby"))).build());
        long merges = db.getCollection("merges").countDocuments();
        assertThat(fields(catchStatus(() -> as(STEWARD).mergePeople(MergePeopleRequest.newBuilder().setSurvivor(p.getName())
                .setMerged(p.getName()).setReason(" ").build())))).containsExactlyInAnyOrder("merged", "reason");
        assertThat(fields(catchStatus(() -> as(STEWARD).mergePeople(MergePeopleRequest.newBuilder().setSurvivor("people")
                .setMerged(p.getName()).setReason("r").build())))).containsExactly("survivor");
        assertThat(fields(catchStatus(() -> as(STEWARD).mergePeople(MergePeopleRequest.newBuilder().setSurvivor(p.getName())
                .setMerged(p.getName() + "x").setReason("r".repeat(501)).build())))).containsExactly("merged");
        assertThat(catchStatus(() -> as(STEWARD).mergePeople(MergePeopleRequest.newBuilder().setSurvivor(p.getName())
                .setMerged("people/abcdefghijkmnpqrstu2").setReason("r").build())).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(fields(catchStatus(() -> as(STEWARD).unmergePeople(UnmergePeopleRequest.newBuilder()
                .setName("merges/abcdefghijkmnpqrstu2").build())))).containsExactly("reason");
        assertThat(db.getCollection("merges").countDocuments()).isEqualTo(merges);
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

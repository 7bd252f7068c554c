package bridge.people.api;

import bridge.support.testing.ServiceTestBeans;
import static bridge.people.api.PeopleDirectoryGrpcServiceTest.catchStatus;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.people.PeopleDirectoryApplication;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.Identifier;
import bridge.proto.people.v1.IdentifierType;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc.PeopleDirectoryServiceBlockingStub;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PersonName;
import bridge.support.consent.DataCategory;
import bridge.support.testing.EmbeddedMongo;
import bridge.support.testing.FakeConsentDecisions;
import bridge.support.testing.TestTokens;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Registration with the duplicate check on: what each caller is told, and what it is not. */
@SpringBootTest(classes = {PeopleDirectoryApplication.class, ServiceTestBeans.class},
        properties = {"spring.config.name=people-directory", "spring.grpc.server.inprocess.name=people-directory-dup-test",
                "bridge.mongodb.database=people-directory-dup-test", "bridge.people.registration.duplicate-check=true"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuplicateRegistrationTest {


    @Autowired
    FakeConsentDecisions consent;

    @Autowired
    MongoDatabase db;

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", EmbeddedMongo::uri);
    }

    private final ManagedChannel channel = InProcessChannelBuilder.forName("people-directory-dup-test").directExecutor().build();

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

    private static Person.Builder person(String given, String family, int y, int m, int d) {
        return Person.newBuilder().setPreferredName(PersonName.newBuilder().setGivenNames(given).setFamilyName(family))
                .setDateOfBirth(com.google.type.Date.newBuilder().setYear(y).setMonth(m).setDay(d));
    }

    private static CreatePersonRequest create(Person.Builder p) {
        return CreatePersonRequest.newBuilder().setPerson(p).build();
    }

    private static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
        return StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).findFirst()
                .orElseThrow().unpack(ErrorInfo.class);
    }

    @Test
    void aLikelyDuplicateTheCallerMaySeeIsNamedAndConfirmingRegistersAnyway() throws Exception {
        Person first = as(PRISON).createPerson(create(person("Eleri", "Pritchard-Vaughan", 1979, 8, 14)));

        StatusRuntimeException e = catchStatus(() -> as(PRISON).createPerson(create(person("Elery", "Prichard-Vaughan", 1979, 8, 14))));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(e.getStatus().getDescription()).doesNotContain("Pritchard").contains("confirm_new_person");
        ErrorInfo info = errorInfo(e);
        assertThat(info.getReason()).isEqualTo("LIKELY_DUPLICATE");
        assertThat(info.getMetadataMap()).containsEntry("candidates", first.getName());
        assertThat(StatusProto.fromThrowable(e).getDetailsList().stream().filter(a -> a.is(ResourceInfo.class)).count())
                .isEqualTo(1);

        Person second = as(PRISON).createPerson(create(person("Elery", "Prichard-Vaughan", 1979, 8, 14)).toBuilder()
                .setConfirmNewPerson(true).build());
        assertThat(second.getName()).isNotEqualTo(first.getName());
    }

    @Test
    void aRetryIsNotADuplicateOfItself() {
        CreatePersonRequest r = create(person("Tegwen", "Llewellyn-Ashcroft", 1983, 2, 9)).toBuilder().setRequestId("dup-retry-1").build();
        Person first = as(PRISON).createPerson(r);
        assertThat(as(PRISON).createPerson(r).getName()).isEqualTo(first.getName());
    }

    @Test
    void theSameNhsNumberIsADuplicateWhateverTheName() {
        Identifier nhs = Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_NHS_NUMBER).setValue("401 023 2137").build();
        Person first = as(PRISON).createPerson(create(person("Wynfrith", "Abernethy", 1970, 1, 1).addIdentifiers(nhs)));
        StatusRuntimeException e = catchStatus(() -> as(PRISON).createPerson(create(person("Zed", "Quorn", 2001, 5, 5).addIdentifiers(nhs))));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(e.getStatus().getDescription()).doesNotContain("Abernethy");
    }

    @Test
    void aCandidateTheCallerMayNotSeeIsNeverRevealedAndIsQueuedForAStewardInstead() throws Exception {
        Identifier nhs = Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_NHS_NUMBER).setValue("485 777 3457").build();
        Person prisons = as(PRISON).createPerson(create(person("Oswin", "Threlkeld", 1968, 10, 3).addIdentifiers(nhs)));
        String prisonsId = prisons.getName().substring("people/".length());

        // the police may not see the prison's record: their registration goes through like any other
        Person polices = as(POLICE).createPerson(create(person("Oswin", "Threlkeld", 1968, 10, 3).addIdentifiers(nhs)));
        assertThat(polices.getName()).isNotEqualTo(prisons.getName());
        assertThat(polices.getRegisteredBy().getAgency()).isEqualTo("met-police");
        assertThat(polices.getCareTeamList()).extracting(m -> m.getAgency()).containsExactly("met-police");
        assertThat(polices.toString()).doesNotContain(prisonsId).doesNotContain("hmp-leeds");
        String policesId = polices.getName().substring("people/".length());
        List<Document> reviews = db.getCollection("duplicate_reviews").find(new Document("personId", policesId)).into(new java.util.ArrayList<>());
        assertThat(reviews).extracting(d -> d.getString("candidateId")).containsExactly(prisonsId);
        assertThat(reviews.get(0).getString("kind")).isEqualTo("STRONG_IDENTIFIER");

        // a fuzzy match another agency may not see (day/month swapped, given name misspelt): queued as FUZZY
        Person fuzzy = as(TestTokens.token("leeds-housing", "HOUSING", "officer")).createPerson(create(person("Oswyn", "Threlkeld", 1968, 3, 10)).toBuilder()
                .setRequestId("fuzzy-1").build());
        String fuzzyId = fuzzy.getName().substring("people/".length());
        assertThat(db.getCollection("duplicate_reviews").find(new Document("personId", fuzzyId)).into(new java.util.ArrayList<>()))
                .extracting(d -> d.getString("kind")).contains("FUZZY");

        // once the police may see the prison's record (IDENTITY), it is named to them
        consent.grant("met-police", prisonsId, DataCategory.IDENTITY);
        StatusRuntimeException e = catchStatus(() -> as(POLICE).createPerson(create(person("Oswin", "Threlkeld", 1968, 10, 3))));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(errorInfo(e).getMetadataMap().get("candidates")).contains(prisons.getName());
        consent.withdrawAll();
    }
}

package bridge.people.api;

import bridge.support.testing.ServiceTestBeans;
import static bridge.people.api.PeopleDirectoryGrpcServiceTest.catchStatus;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.people.PeopleDirectoryApplication;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.DismissDuplicateReviewRequest;
import bridge.proto.people.v1.DuplicateReview;
import bridge.proto.people.v1.DuplicateReviewKind;
import bridge.proto.people.v1.DuplicateReviewState;
import bridge.proto.people.v1.ListDuplicateReviewsRequest;
import bridge.proto.people.v1.ListDuplicateReviewsResponse;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.LookupPersonRequest;
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
    void anExactStrongIdentifierTheCallerMayNotSeeLinksSilentlyAndAFuzzyOneIsQueuedForAStewardInstead() throws Exception {
        Identifier nhs = nhs(4857773);
        Person prisons = as(PRISON).createPerson(create(person("Oswin", "Threlkeld", 1968, 10, 3).addIdentifiers(nhs)
                .addContactDetails(bridge.proto.people.v1.ContactDetail.newBuilder()
                        .setMethod(bridge.proto.people.v1.ContactMethod.CONTACT_METHOD_PHONE).setValue("07700 900555"))));
        String prisonsId = prisons.getName().substring("people/".length());

        // the police may not see the prison's record: their registration is linked to it, and they are
        // answered with exactly what they registered
        Person.Builder theirs = person("Oswin", "Threlkeld", 1968, 10, 3).addIdentifiers(nhs)
                .addIdentifiers(Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_PNC_ID).setValue("86/1234567D"));
        Person polices = as(POLICE).createPerson(create(theirs));
        assertThat(polices.getName()).isEqualTo(prisons.getName());
        assertThat(polices.getRegisteredBy().getAgency()).isEqualTo("met-police");
        assertThat(polices.getCareTeamList()).extracting(m -> m.getAgency()).containsExactly("met-police");
        assertThat(polices.getContactDetailsList()).isEmpty();
        assertThat(polices.toString()).doesNotContain("hmp-leeds").doesNotContain("900555");
        assertThat(as(POLICE).getPerson(GetPersonRequest.newBuilder().setName(polices.getName()).build()))
                .isEqualTo(polices);
        Document stored = db.getCollection("people").find(new Document("_id", prisonsId)).first();
        assertThat(stored.getList("careTeam", Document.class)).extracting(d -> d.getString("agency"))
                .containsExactly("hmp-leeds", "met-police");
        assertThat(db.getCollection("people").countDocuments(new Document("identifiers.value", "9434765919").append("x", 1)))
                .isZero();

        // the prison (registrar) sees the police only under JUSTICE, and the police's PNC ID with it
        GetPersonRequest get = GetPersonRequest.newBuilder().setName(prisons.getName()).build();
        Person prisonView = as(PRISON).getPerson(get);
        assertThat(prisonView.getCareTeamList()).extracting(m -> m.getAgency()).containsExactly("hmp-leeds");
        assertThat(prisonView.getIdentifiersList()).extracting(Identifier::getType).doesNotContain(IdentifierType.IDENTIFIER_TYPE_PNC_ID);
        assertThat(prisonView.getUpdateTime()).isEqualTo(prisons.getUpdateTime());
        assertThat(prisonView.getEtag()).isEqualTo(prisons.getEtag());
        assertThat(prisonView.getWithheldCategoriesList()).isEqualTo(prisons.getWithheldCategoriesList());
        consent.grant("hmp-leeds", prisonsId, DataCategory.JUSTICE);
        Person withJustice = as(PRISON).getPerson(get);
        assertThat(withJustice.getCareTeamList()).extracting(m -> m.getAgency()).containsExactly("hmp-leeds", "met-police");
        assertThat(withJustice.getIdentifiersList()).extracting(Identifier::getValue).contains("86/1234567D");
        consent.withdrawAll();

        // the same number with names that contradict it is not linked: registered, and queued for a steward
        Person contradicting = as(TestTokens.token("leeds-housing", "HOUSING", "officer"))
                .createPerson(create(person("Zed", "Quorn", 2001, 5, 5).addIdentifiers(nhs)));
        assertThat(contradicting.getName()).isNotEqualTo(prisons.getName());
        assertThat(reviewsOf(contradicting)).extracting(d -> d.getString("kind") + " " + d.getString("candidateId"))
                .containsExactly("STRONG_IDENTIFIER " + prisonsId);

        // a fuzzy match another agency may not see (day/month swapped, given name misspelt): queued as FUZZY
        Person fuzzy = as(TestTokens.token("leeds-housing", "HOUSING", "officer")).createPerson(create(person("Oswyn", "Threlkeld", 1968, 3, 10)).toBuilder()
                .setRequestId("fuzzy-1").build());
        assertThat(fuzzy.getName()).isNotEqualTo(prisons.getName());
        assertThat(reviewsOf(fuzzy)).extracting(d -> d.getString("kind")).contains("FUZZY");

        // once the housing officer may see the prison's record (IDENTITY), it is named to them
        consent.grant("leeds-housing", prisonsId, DataCategory.IDENTITY);
        StatusRuntimeException e = catchStatus(() -> as(TestTokens.token("leeds-housing", "HOUSING", "officer"))
                .createPerson(create(person("Oswin", "Threlkeld", 1968, 10, 3))));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(errorInfo(e).getMetadataMap().get("candidates")).contains(prisons.getName());
        consent.withdrawAll();
    }

    @Test
    void aStrongIdentifierTheCallerMaySeeLinksToTheExistingPersonAsTheCallerSeesIt() {
        Identifier pnc = Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_PRISON_NUMBER).setValue("B7766QX").build();
        Person prisons = as(PRISON).createPerson(create(person("Marisol", "Achterberg", 1990, 6, 21).addIdentifiers(pnc)));
        consent.grant("met-police", prisons.getName().substring(7), DataCategory.IDENTITY, DataCategory.JUSTICE);
        Person polices = as(POLICE).createPerson(create(person("Marisol", "Achterberg", 1990, 6, 21).addIdentifiers(pnc)));
        assertThat(polices.getName()).isEqualTo(prisons.getName());
        assertThat(polices.getRegisteredBy().getAgency()).isEqualTo("hmp-leeds");
        assertThat(polices.getCareTeamList()).extracting(m -> m.getAgency()).containsExactly("hmp-leeds", "met-police");
        // registering again is not a second link
        assertThat(as(POLICE).createPerson(create(person("Marisol", "Achterberg", 1990, 6, 21).addIdentifiers(pnc)))
                .getCareTeamList()).hasSize(2);
        consent.withdrawAll();
    }

    static final String STEWARD = TestTokens.token("bridge-platform", "PLATFORM", "steward-1", "data-steward");
    static final String DPO = TestTokens.token("bridge-platform", "PLATFORM", "dpo", "data-protection-officer");

    @Test
    void theReviewQueueIsForStewardsOnlyPagesOldestFirstAndCanBeDismissed() {
        String housing = TestTokens.token("leeds-housing", "HOUSING", "officer", "worker");
        for (int i = 0; i < 3; i++) {
            // confirmed: the three are near each other too; confirming still queues what the caller cannot see
            as(PRISON).createPerson(create(person("Cosimo", "Brandreth" + "abc".charAt(i), 1959, 3, 3 + i)).toBuilder()
                    .setConfirmNewPerson(true).build());
            as(housing).createPerson(create(person("Cosimo", "Brandreth" + "abc".charAt(i), 1959, 3, 3 + i)).toBuilder()
                    .setConfirmNewPerson(true).build());
        }
        for (String notSteward : List.of(PRISON, housing, TestTokens.token("bridge-platform", "PLATFORM", "op", "platform-operator"))) {
            StatusRuntimeException e = catchStatus(() -> as(notSteward).listDuplicateReviews(ListDuplicateReviewsRequest.getDefaultInstance()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            StatusRuntimeException d = catchStatus(() -> as(notSteward).dismissDuplicateReview(
                    DismissDuplicateReviewRequest.newBuilder().setName("duplicateReviews/abcdefghijkmnpqrstuv").setReason("x").build()));
            assertThat(d.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        List<DuplicateReview> all = new java.util.ArrayList<>();
        String token = "";
        do {
            ListDuplicateReviewsResponse page = as(STEWARD).listDuplicateReviews(ListDuplicateReviewsRequest.newBuilder()
                    .setPageSize(2).setPageToken(token).build());
            assertThat(page.getReviewsCount()).isLessThanOrEqualTo(2);
            all.addAll(page.getReviewsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        List<DuplicateReview> ours = all.stream().filter(r -> r.getRegisteringAgency().equals("leeds-housing")
                && r.getKind() == DuplicateReviewKind.DUPLICATE_REVIEW_KIND_FUZZY).toList();
        assertThat(ours.size()).isGreaterThanOrEqualTo(3);
        assertThat(all).extracting(r -> com.google.protobuf.util.Timestamps.toMillis(r.getCreateTime())).isSorted();
        assertThat(all).extracting(DuplicateReview::getName).doesNotHaveDuplicates();
        assertThat(as(DPO).listDuplicateReviews(ListDuplicateReviewsRequest.newBuilder().setPageSize(100).build())
                .getReviewsList()).containsAll(ours);

        DuplicateReview first = ours.get(0);
        StatusRuntimeException noReason = catchStatus(() -> as(STEWARD).dismissDuplicateReview(
                DismissDuplicateReviewRequest.newBuilder().setName(first.getName()).setReason("   ").build()));
        assertThat(noReason.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        DuplicateReview dismissed = as(STEWARD).dismissDuplicateReview(DismissDuplicateReviewRequest.newBuilder()
                .setName(first.getName()).setReason("different mothers' maiden names, checked with both agencies").build());
        assertThat(dismissed.getState()).isEqualTo(DuplicateReviewState.DUPLICATE_REVIEW_STATE_DISMISSED);
        assertThat(as(STEWARD).listDuplicateReviews(ListDuplicateReviewsRequest.newBuilder().setPageSize(100)
                .setState(DuplicateReviewState.DUPLICATE_REVIEW_STATE_DISMISSED).build()).getReviewsList())
                .extracting(DuplicateReview::getName).contains(first.getName());
        assertThat(catchStatus(() -> as(STEWARD).dismissDuplicateReview(DismissDuplicateReviewRequest.newBuilder()
                .setName(first.getName()).setReason("again").build())).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(catchStatus(() -> as(STEWARD).listDuplicateReviews(ListDuplicateReviewsRequest.newBuilder()
                .setPageToken("bm90LWEtdG9rZW4").build())).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    /**
     * Registering someone who exists but whom the caller may not see must answer exactly as
     * registering someone nobody has registered: field by field, apart from the generated id and the
     * clock. Run for each way an existing record can meet a registration: an exact strong identifier
     * (linked), the same identifier with contradicting names, a fuzzy match.
     */
    @Test
    void registeringAnInvisibleExistingPersonRevealsNothingMoreThanRegisteringNobody() {
        String housing = TestTokens.token("leeds-housing", "HOUSING", "officer", "worker");
        String[][] cases = {
                // existing (prison)                    registered by housing               nobody has registered
                {"Ifeoma Castellanos 1975-11-30 1", "Ifeoma Castellanos 1975-11-30 1", "Priya Okonkwo-Byrne 1962-04-17 1"}, // linked
                {"Gwendolyn Ashdown 1966-02-14 2", "Tadeusz Ngata 1999-01-02 2", "Bartholomew Quist 1984-09-09 2"}, // names contradict
                {"Radomir Oyelaran 1981-07-19 -", "Radomirr Oyelarran 1981-07-19 -", "Henrike Vanterpool 1958-12-25 -"}, // fuzzy
        };
        int n = 0;
        for (String[] c : cases) {
            n++;
            Person.Builder existing = parse(c[0], 7000 + n);
            Person.Builder registered = parse(c[1], 7000 + n);
            Person.Builder nobody = parse(c[2], 7100 + n);
            as(PRISON).createPerson(create(existing));
            CreatePersonRequest meetsExisting = create(registered).toBuilder().setRequestId("leak-a-" + n).build();
            CreatePersonRequest meetsNobody = create(nobody).toBuilder().setRequestId("leak-b-" + n).build();
            Person a = as(housing).createPerson(meetsExisting);
            Person b = as(housing).createPerson(meetsNobody);
            assertSameShape(a, b, registered.build(), nobody.build());
            // reading back, retrying and looking up answer alike too
            assertSameShape(as(housing).getPerson(GetPersonRequest.newBuilder().setName(a.getName()).build()),
                    as(housing).getPerson(GetPersonRequest.newBuilder().setName(b.getName()).build()), registered.build(), nobody.build());
            assertSameShape(as(housing).createPerson(meetsExisting), as(housing).createPerson(meetsNobody),
                    registered.build(), nobody.build());
            if (registered.getIdentifiersCount() > 0) {
                assertSameShape(as(housing).lookupPerson(LookupPersonRequest.newBuilder().setIdentifier(registered.getIdentifiers(0)).build()),
                        as(housing).lookupPerson(LookupPersonRequest.newBuilder().setIdentifier(nobody.getIdentifiers(0)).build()),
                        registered.build(), nobody.build());
            }
            // and bad input is refused alike, whoever exists
            StatusRuntimeException ea = catchStatus(() -> as(housing).createPerson(create(registered.clone()
                    .setDateOfBirth(com.google.type.Date.newBuilder().setYear(2990).setMonth(1).setDay(1)))));
            StatusRuntimeException eb = catchStatus(() -> as(housing).createPerson(create(nobody.clone()
                    .setDateOfBirth(com.google.type.Date.newBuilder().setYear(2990).setMonth(1).setDay(1)))));
            assertThat(ea.getStatus().getCode()).isEqualTo(eb.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(ea.getStatus().getDescription()).isEqualTo(eb.getStatus().getDescription());
            assertThat(StatusProto.fromThrowable(ea)).isEqualTo(StatusProto.fromThrowable(eb));
        }
    }

    /** "Given Family yyyy-mm-dd k": k a digit = an NHS number made from the seed, "-" = none. */
    private static Person.Builder parse(String spec, int seed) {
        String[] f = spec.split(" ");
        String[] d = f[2].split("-");
        Person.Builder p = person(f[0], f[1], Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]));
        if (!f[3].equals("-")) {
            p.addIdentifiers(nhs(seed * 10 + Integer.parseInt(f[3])));
        }
        return p;
    }

    /**
     * Two registration answers compared field by field, with the fields that must differ (id, clock,
     * and the etag that digests them) checked for shape only, and the data each caller sent swapped out.
     */
    private static void assertSameShape(Person a, Person b, Person sentA, Person sentB) {
        assertThat(a.getName()).matches("people/[a-z2-9]{20}");
        assertThat(b.getName()).matches("people/[a-z2-9]{20}");
        assertThat(a.getEtag()).matches("W/\"[0-9a-f]{24}\"");
        assertThat(b.getEtag()).matches("W/\"[0-9a-f]{24}\"");
        assertThat(a.getCreateTime()).isEqualTo(a.getUpdateTime());
        assertThat(b.getCreateTime()).isEqualTo(b.getUpdateTime());
        assertThat(a.getCareTeam(0).getJoinTime()).isEqualTo(a.getCreateTime());
        assertThat(b.getCareTeam(0).getJoinTime()).isEqualTo(b.getCreateTime());
        Person na = normalise(a, sentA);
        Person nb = normalise(b, sentB);
        for (var field : Person.getDescriptor().getFields()) {
            assertThat(na.getField(field)).as(field.getName()).isEqualTo(nb.getField(field));
        }
        assertThat(na).isEqualTo(nb);
    }

    private static Person normalise(Person p, Person sent) {
        Person.Builder b = p.toBuilder().clearName().clearCreateTime().clearUpdateTime().clearEtag()
                .clearPreferredName().clearDateOfBirth();
        assertThat(p.getPreferredName()).isEqualTo(sent.getPreferredName());
        assertThat(p.getDateOfBirth()).isEqualTo(sent.getDateOfBirth());
        assertThat(p.getIdentifiersList()).extracting(Identifier::getValue)
                .containsExactlyElementsOf(sent.getIdentifiersList().stream().map(i -> i.getValue().replace(" ", "")).toList());
        b.clearIdentifiers();
        p.getIdentifiersList().forEach(i -> b.addIdentifiers(i.toBuilder().setValue("(as sent)")));
        for (int i = 0; i < b.getCareTeamCount(); i++) {
            b.setCareTeam(i, b.getCareTeam(i).toBuilder().clearName().clearJoinTime());
        }
        return b.build();
    }

    private List<Document> reviewsOf(Person p) {
        return db.getCollection("duplicate_reviews").find(new Document("personId", p.getName().substring(7)))
                .into(new java.util.ArrayList<>());
    }

    /** A valid NHS number (modulus 11) made from a seed of up to 9 digits. */
    static Identifier nhs(int seed) {
        for (int s = seed; ; s++) {
            String nine = String.format("%09d", s % 1_000_000_000);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (nine.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 10) {
                continue;
            }
            return Identifier.newBuilder().setType(IdentifierType.IDENTIFIER_TYPE_NHS_NUMBER)
                    .setValue(nine + (check == 11 ? 0 : check)).build();
        }
    }
}

package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.CreateLegalBasisRequest;
import bridge.proto.consent.v1.LegalBasis;
import bridge.proto.consent.v1.LegalBasisType;
import bridge.proto.consent.v1.ListLegalBasesRequest;
import bridge.proto.consent.v1.ListLegalBasisReviewsRequest;
import bridge.proto.consent.v1.ListLegalBasisReviewsResponse;
import bridge.proto.consent.v1.ReviewLegalBasisRequest;
import bridge.proto.consent.v1.ReviewOutcome;
import bridge.proto.consent.v1.ReviewState;
import bridge.support.testing.TestTokens;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CreateLegalBasis, ListLegalBases, ListLegalBasisReviews and ReviewLegalBasis over in-process gRPC. */
class LegalBasisGrpcTest extends GrpcTestBase {

    static LegalBasis.Builder legalBasis() {
        return LegalBasis.newBuilder()
                .setType(LegalBasisType.LEGAL_BASIS_TYPE_SERIOUS_IMMINENT_RISK_TO_LIFE)
                .setRecipientAgency("met-police")
                .addCategories(DataCategory.DATA_CATEGORY_MENTAL_HEALTH)
                .addCategories(DataCategory.DATA_CATEGORY_RISK)
                .addPurposes(Purpose.PURPOSE_RISK_MANAGEMENT)
                .setJustification("Threatened suicide in custody; mental health history needed now.")
                .setValidUntil(fromNow(Duration.ofDays(3)));
    }

    static CreateLegalBasisRequest create(String parent, LegalBasis.Builder b) {
        return CreateLegalBasisRequest.newBuilder().setParent(parent).setLegalBasis(b).build();
    }

    static ReviewLegalBasisRequest review(LegalBasis b, ReviewOutcome outcome, String note) {
        return ReviewLegalBasisRequest.newBuilder().setName(b.getName()).setOutcome(outcome).setNote(note).build();
    }

    static ListLegalBasesRequest list(String parent) {
        return ListLegalBasesRequest.newBuilder().setParent(parent).build();
    }

    @Test
    void recordsALegalBasisPendingReview() {
        String parent = person();
        LegalBasis b = as(POLICE).createLegalBasis(create(parent, legalBasis()));
        assertThat(b.getName()).startsWith(parent + "/legalBases/");
        assertThat(b.getReviewState()).isEqualTo(ReviewState.REVIEW_STATE_PENDING_REVIEW);
        assertThat(b.getRecordedBy().getAgency()).isEqualTo("met-police");
        assertThat(b.getRecipientAgency()).isEqualTo("met-police");
        assertThat(b.getCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_MENTAL_HEALTH,
                DataCategory.DATA_CATEGORY_RISK);
        assertThat(b.hasReviewedBy()).isFalse();
        assertThat(as(POLICE).listLegalBases(list(parent)).getLegalBasesList()).containsExactly(b);
        assertThat(element(b.getName(), "legalBases").getString("reviewState"))
                .isEqualTo("PENDING_REVIEW");
    }

    @Test
    void aRetriedCreateReturnsTheSameLegalBasis() {
        CreateLegalBasisRequest request = create(person(), legalBasis()).toBuilder().setRequestId("lb-retry-1").build();
        LegalBasis first = as(POLICE).createLegalBasis(request);
        String before = fingerprint();
        assertThat(as(POLICE).createLegalBasis(request)).isEqualTo(first);
        assertThat(fingerprint()).isEqualTo(before);
    }

    static Stream<Arguments> badLegalBases() {
        return Stream.of(
                bad("no type", b -> b.clearType(), "legal_basis.type"),
                bad("recipient agency that does not exist", b -> b.setRecipientAgency("gotham-police"),
                        "legal_basis.recipient_agency"),
                bad("no recipient agency", b -> b.clearRecipientAgency(), "legal_basis.recipient_agency"),
                bad("unspecified category", b -> b.addCategories(DataCategory.DATA_CATEGORY_UNSPECIFIED),
                        "legal_basis.categories[2]"),
                bad("duplicate category", b -> b.addCategories(DataCategory.DATA_CATEGORY_RISK), "legal_basis.categories[2]"),
                bad("no categories", b -> b.clearCategories(), "legal_basis.categories"),
                bad("unspecified purpose", b -> b.setPurposes(0, Purpose.PURPOSE_UNSPECIFIED), "legal_basis.purposes[0]"),
                bad("no justification", b -> b.clearJustification(), "legal_basis.justification"),
                bad("a justification under 20 characters", b -> b.setJustification("risk to life"),
                        "legal_basis.justification"),
                bad("no time limit", b -> b.clearValidUntil(), "legal_basis.valid_until"),
                bad("a time limit in the past", b -> b.setValidUntil(fromNow(Duration.ofMinutes(-1))),
                        "legal_basis.valid_until"),
                bad("a time limit beyond 90 days", b -> b.setValidUntil(fromNow(Duration.ofDays(91))),
                        "legal_basis.valid_until"));
    }

    private static Arguments bad(String rule, UnaryOperator<LegalBasis.Builder> change, String field) {
        return Arguments.of(rule, change, field);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badLegalBases")
    void badInputNamesTheFieldAndWritesNothing(String rule, UnaryOperator<LegalBasis.Builder> change, String field) {
        String before = fingerprint();
        assertThat(fields(() -> as(POLICE).createLegalBasis(create(person(), change.apply(legalBasis())))))
                .containsExactly(field);
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void aLegalBasisForThePlatformIsRecordedButNeverAllows() {
        String parent = person();
        LegalBasis b = as(POLICE).createLegalBasis(create(parent, legalBasis().setRecipientAgency("bridge-platform")));
        assertThat(b.getRecipientAgency()).isEqualTo("bridge-platform");
        var d = as(PLATFORM).decide(bridge.proto.consent.v1.DecideRequest.newBuilder().setPerson(parent)
                .setCategory(DataCategory.DATA_CATEGORY_RISK).setPurpose(Purpose.PURPOSE_RISK_MANAGEMENT).build());
        assertThat(d.getAllowed()).isFalse();
        assertThat(d.getDenyReason()).isEqualTo("PLATFORM_SEES_NO_PERSONAL_DATA");
    }

    @Test
    void everyProblemAtOnceAndTheParentIsChecked() {
        String before = fingerprint();
        assertThat(fields(() -> as(POLICE).createLegalBasis(create("people/nope",
                legalBasis().clearType().setJustification("short")))))
                .containsExactly("parent", "legal_basis.type", "legal_basis.justification");
        assertThat(fields(() -> as(POLICE).createLegalBasis(CreateLegalBasisRequest.newBuilder()
                .setParent(person()).build()))).containsExactly("legal_basis");
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void anyAgencyExceptThePlatformRecords() {
        String before = fingerprint();
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(PLATFORM).createLegalBasis(create(person(), legalBasis())));
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(DPO).createLegalBasis(create(person(), legalBasis())));
        assertThat(fingerprint()).isEqualTo(before);
        // a housing officer may record one for someone else (here: for the police)
        assertThat(as(HOUSING).createLegalBasis(create(person(), legalBasis())).getRecordedBy().getAgency())
                .isEqualTo("leeds-housing");
    }

    @Test
    void theRecorderAndTheRecipientListThemOthersSeeNone() {
        String parent = person();
        LegalBasis b = as(HOUSING).createLegalBasis(create(parent, legalBasis()));
        assertThat(as(HOUSING).listLegalBases(list(parent)).getLegalBasesList()).containsExactly(b);
        assertThat(as(POLICE).listLegalBases(list(parent)).getLegalBasesList()).containsExactly(b);
        assertThat(as(DPO).listLegalBases(list(parent)).getLegalBasesList()).containsExactly(b);
        assertThat(as(TREATMENT).listLegalBases(list(parent)).getLegalBasesList()).isEmpty();
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(PLATFORM).listLegalBases(list(parent)));
        assertThat(fields(() -> as(HOUSING).listLegalBases(list("people")))).containsExactly("parent");
    }

    @Test
    void theReviewQueueIsForDataProtectionOfficersOnly() {
        assertCode(Status.Code.PERMISSION_DENIED,
                () -> as(POLICE).listLegalBasisReviews(ListLegalBasisReviewsRequest.getDefaultInstance()));
        assertCode(Status.Code.PERMISSION_DENIED,
                () -> as(PLATFORM).listLegalBasisReviews(ListLegalBasisReviewsRequest.getDefaultInstance()));
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(MANAGER)
                .listLegalBasisReviews(ListLegalBasisReviewsRequest.getDefaultInstance()));
    }

    static final String MANAGER = TestTokens.token("leeds-housing", "HOUSING", "mgr", "worker", "manager");

    @Test
    void theQueueListsPendingOnesOldestFirstPagedAndReviewedOnesLeaveIt() {
        List<LegalBasis> recorded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            recorded.add(as(POLICE).createLegalBasis(create(person(), legalBasis())));
            CLOCK.advance(Duration.ofMillis(1));
        }
        List<String> created = recorded.stream().map(LegalBasis::getName).toList();
        List<String> queued = new ArrayList<>();
        String token = "";
        do {
            ListLegalBasisReviewsResponse page = as(DPO).listLegalBasisReviews(ListLegalBasisReviewsRequest.newBuilder()
                    .setPageSize(2).setPageToken(token).build());
            assertThat(page.getLegalBasesCount()).isLessThanOrEqualTo(2);
            page.getLegalBasesList().forEach(b -> queued.add(b.getName()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(queued).containsSubsequence(created);
        assertThat(queued).doesNotHaveDuplicates();
        LegalBasis reviewed = as(DPO).reviewLegalBasis(review(recorded.getFirst(), ReviewOutcome.REVIEW_OUTCOME_UPHOLD,
                "Necessary and proportionate."));
        assertThat(reviewed.getReviewState()).isEqualTo(ReviewState.REVIEW_STATE_UPHELD);
        List<String> after = new ArrayList<>();
        token = "";
        do {
            ListLegalBasisReviewsResponse page = as(DPO).listLegalBasisReviews(ListLegalBasisReviewsRequest.newBuilder()
                    .setPageSize(100).setPageToken(token).build());
            page.getLegalBasesList().forEach(b -> after.add(b.getName()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(after).doesNotContain(created.getFirst()).contains(created.get(1), created.get(2));
        assertThat(fields(() -> as(DPO).listLegalBasisReviews(ListLegalBasisReviewsRequest.newBuilder()
                .setPageToken("bogus").build()))).containsExactly("page_token");
    }

    @Test
    void theDpoUpholdsOrRevokesAndARevokedOneStaysRevoked() {
        LegalBasis b = as(POLICE).createLegalBasis(create(person(), legalBasis()));
        CLOCK.advance(Duration.ofHours(1));
        LegalBasis upheld = as(DPO).reviewLegalBasis(review(b, ReviewOutcome.REVIEW_OUTCOME_UPHOLD, "Proportionate."));
        assertThat(upheld.getReviewState()).isEqualTo(ReviewState.REVIEW_STATE_UPHELD);
        assertThat(upheld.getReviewedBy().getSubject()).isEqualTo("dpo");
        assertThat(upheld.getReviewNote()).isEqualTo("Proportionate.");
        assertThat(upheld.hasReviewTime()).isTrue();
        LegalBasis revoked = as(DPO_2).reviewLegalBasis(review(b, ReviewOutcome.REVIEW_OUTCOME_REVOKE, "Risk has passed."));
        assertThat(revoked.getReviewState()).isEqualTo(ReviewState.REVIEW_STATE_REVOKED);
        String before = fingerprint();
        assertCode(Status.Code.FAILED_PRECONDITION,
                () -> as(DPO).reviewLegalBasis(review(b, ReviewOutcome.REVIEW_OUTCOME_UPHOLD, "")));
        assertCode(Status.Code.FAILED_PRECONDITION,
                () -> as(DPO).reviewLegalBasis(review(b, ReviewOutcome.REVIEW_OUTCOME_REVOKE, "")));
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void onlyADpoReviewsAndBadReviewsNameTheField() {
        LegalBasis b = as(POLICE).createLegalBasis(create(person(), legalBasis()));
        String before = fingerprint();
        assertCode(Status.Code.PERMISSION_DENIED,
                () -> as(POLICE).reviewLegalBasis(review(b, ReviewOutcome.REVIEW_OUTCOME_UPHOLD, "")));
        assertCode(Status.Code.PERMISSION_DENIED,
                () -> as(PLATFORM).reviewLegalBasis(review(b, ReviewOutcome.REVIEW_OUTCOME_REVOKE, "")));
        assertThat(fields(() -> as(DPO).reviewLegalBasis(review(b, ReviewOutcome.REVIEW_OUTCOME_UNSPECIFIED, "")
                .toBuilder().setName("people/x").setNote("n".repeat(4001)).build())))
                .containsExactly("name", "outcome", "note");
        assertCode(Status.Code.NOT_FOUND, () -> as(DPO).reviewLegalBasis(review(b, ReviewOutcome.REVIEW_OUTCOME_REVOKE, "")
                .toBuilder().setName(person() + "/legalBases/" + id(b.getName())).build()));
        assertThat(fingerprint()).isEqualTo(before);
    }
}

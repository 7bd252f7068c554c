package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.DecisionSet;
import bridge.proto.consent.v1.IssueDecisionSetRequest;
import bridge.proto.consent.v1.ListDecisionKeysRequest;
import bridge.proto.consent.v1.ListDecisionKeysResponse;
import bridge.proto.consent.v1.SignedDecisionSet;
import bridge.support.grpc.DecisionKeys;
import bridge.support.grpc.DecisionSets;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** IssueDecisionSet: decided and audited exactly as BatchDecide, answered signed for one caller and request. */
class DecisionSetGrpcTest extends GrpcTestBase {

    static IssueDecisionSetRequest issue(String person, Purpose purpose, DataCategory... categories) {
        return IssueDecisionSetRequest.newBuilder().setPerson(person).setPurpose(purpose)
                .addAllCategories(List.of(categories)).build();
    }

    @Test
    void aSetIsAuditedAsOneBatchAndSignedForTheCallerPersonPurposeAndRequest() throws Exception {
        String parent = person();
        Consent c = as(TREATMENT).createConsent(create(parent, consent()));
        long before = auditTrail().countDocuments();

        SignedDecisionSet signed = as(PROBATION, "req-set-1").issueDecisionSet(issue(parent,
                Purpose.PURPOSE_DIRECT_SUPPORT, DataCategory.DATA_CATEGORY_RISK, DataCategory.DATA_CATEGORY_SUBSTANCE_USE,
                DataCategory.DATA_CATEGORY_HOUSING));

        // the same one audit entry BatchDecide writes: who, person, purpose, request, each category's decision
        assertThat(auditTrail().countDocuments()).isEqualTo(before + 1);
        Document entry = auditTrail().find().sort(new Document("_id", -1)).limit(1).first();
        assertThat(entry.getString("personId")).isEqualTo(parent.substring("people/".length()));
        assertThat(entry.get("actor", Document.class)).isEqualTo(new Document("subject", "po-1")
                .append("agency", "north-probation").append("agencyType", "PROBATION"));
        assertThat(entry.getString("purpose")).isEqualTo("DIRECT_SUPPORT");
        assertThat(entry.getString("requestId")).isEqualTo("req-set-1");
        assertThat(entry.getList("decisions", Document.class)).extracting(x -> x.getString("category"))
                .containsExactly("RISK", "SUBSTANCE_USE", "HOUSING");
        assertThat(entry.getList("decisions", Document.class)).extracting(x -> x.getBoolean("allowed"))
                .containsExactly(false, true, true);

        DecisionSet set = DecisionSet.parseFrom(signed.getDecisionSet());
        assertThat(set.getSubject()).isEqualTo("po-1");
        assertThat(set.getAgency()).isEqualTo("north-probation");
        assertThat(set.getPerson()).isEqualTo(parent);
        assertThat(set.getPurpose()).isEqualTo(Purpose.PURPOSE_DIRECT_SUPPORT);
        assertThat(set.getRequestId()).isEqualTo("req-set-1");
        assertThat(set.getDecisionsList()).extracting(d -> d.getAllowed()).containsExactly(false, true, true);
        assertThat(set.getDecisions(1).getConsent()).isEqualTo(c.getName());
        assertThat(Duration.ofSeconds(set.getExpireTime().getSeconds() - set.getIssueTime().getSeconds()))
                .isEqualTo(Duration.ofSeconds(5));

        // it verifies with the published key, and with nothing else
        ListDecisionKeysResponse keys = as(HOUSING).listDecisionKeys(ListDecisionKeysRequest.getDefaultInstance());
        assertThat(keys.getKeysList()).extracting(k -> k.getKeyId()).containsExactly(signed.getKeyId());
        DecisionKeys held = new DecisionKeys(() -> keys, Duration.ofSeconds(10), CLOCK);
        bridge.support.consent.DecisionSet verified = DecisionSets.verify(signed.toByteArray(), held::find);
        assertThat(verified).isNotNull();
        assertThat(verified.personId()).isEqualTo(parent.substring("people/".length()));
        byte[] tampered = signed.toBuilder().setDecisionSet(set.toBuilder().setAgency("met-police").build().toByteString())
                .build().toByteArray();
        assertThat(DecisionSets.verify(tampered, held::find)).isNull();
    }

    @Test
    void aWithdrawalCountsForTheNextSet() {
        String parent = person();
        Consent c = as(TREATMENT).createConsent(create(parent, consent()));
        assertThat(as(PROBATION).issueDecisionSet(issue(parent, Purpose.PURPOSE_DIRECT_SUPPORT,
                DataCategory.DATA_CATEGORY_HOUSING))).satisfies(s -> assertThat(allowed(s)).containsExactly(true));
        as(TREATMENT).withdrawConsent(bridge.proto.consent.v1.WithdrawConsentRequest.newBuilder().setName(c.getName())
                .setEtag(c.getEtag()).setReason("person asked").build());
        assertThat(as(PROBATION).issueDecisionSet(issue(parent, Purpose.PURPOSE_DIRECT_SUPPORT,
                DataCategory.DATA_CATEGORY_HOUSING))).satisfies(s -> assertThat(allowed(s)).containsExactly(false));
    }

    @Test
    void badRequestsNameTheFieldAndAreNotAudited() {
        String parent = person();
        long before = auditTrail().countDocuments();
        assertThat(fields(() -> as(HOUSING).issueDecisionSet(issue(parent, Purpose.PURPOSE_UNSPECIFIED,
                DataCategory.DATA_CATEGORY_HOUSING)))).containsExactly("purpose");
        assertThat(fields(() -> as(HOUSING).issueDecisionSet(issue(parent, Purpose.PURPOSE_REFERRAL))))
                .containsExactly("categories");
        assertThat(fields(() -> as(HOUSING).issueDecisionSet(issue("people", Purpose.PURPOSE_REFERRAL,
                DataCategory.DATA_CATEGORY_HOUSING)))).containsExactly("person");
        assertThat(auditTrail().countDocuments()).isEqualTo(before);
    }

    @Test
    void anAuditTrailThatCannotBeWrittenGivesNoSet() {
        String parent = person();
        as(TREATMENT).createConsent(create(parent, consent()));
        audit.failing = true;
        try {
            assertCode(Status.Code.UNAVAILABLE, () -> as(PROBATION).issueDecisionSet(issue(parent,
                    Purpose.PURPOSE_DIRECT_SUPPORT, DataCategory.DATA_CATEGORY_HOUSING)));
        } finally {
            audit.failing = false;
        }
    }

    private static List<Boolean> allowed(SignedDecisionSet s) {
        try {
            return DecisionSet.parseFrom(s.getDecisionSet()).getDecisionsList().stream()
                    .map(bridge.proto.consent.v1.Decision::getAllowed).toList();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}

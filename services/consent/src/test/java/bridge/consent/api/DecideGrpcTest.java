package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.AgencyType;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.AmendConsentRequest;
import bridge.proto.consent.v1.BatchDecideRequest;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.DecideRequest;
import bridge.proto.consent.v1.Decision;
import bridge.proto.consent.v1.LegalBasis;
import bridge.proto.consent.v1.Recipient;
import bridge.proto.consent.v1.ReviewLegalBasisRequest;
import bridge.proto.consent.v1.ReviewOutcome;
import bridge.proto.consent.v1.WithdrawConsentRequest;
import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** Decide and BatchDecide over in-process gRPC: decisions, their audit entries, and effect-at-once. */
class DecideGrpcTest extends GrpcTestBase {

    static DecideRequest decide(String person, DataCategory category, Purpose purpose) {
        return DecideRequest.newBuilder().setPerson(person).setCategory(category).setPurpose(purpose).build();
    }

    static DecideRequest decide(String person, DataCategory category) {
        return decide(person, category, Purpose.PURPOSE_DIRECT_SUPPORT);
    }

    static BatchDecideRequest batch(String person, Purpose purpose, DataCategory... categories) {
        return BatchDecideRequest.newBuilder().setPerson(person).addAllCategories(Arrays.asList(categories))
                .setPurpose(purpose).build();
    }

    /** The audit entry with the highest sequence. */
    Document lastAuditEntry() {
        return auditTrail().find().sort(new Document("_id", -1)).limit(1).first();
    }

    @Test
    void aConsentAllowsWithItsVersionAsBasisAndTheDecisionIsAudited() {
        String parent = person();
        Consent c = as(TREATMENT).createConsent(create(parent, consent()));
        long before = auditTrail().countDocuments();
        Decision d = as(HOUSING, "req-allow-1").decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING));
        assertThat(d.getAllowed()).isTrue();
        assertThat(d.getCategory()).isEqualTo(DataCategory.DATA_CATEGORY_HOUSING);
        assertThat(d.getConsent()).isEqualTo(c.getName());
        assertThat(d.getConsentVersion()).isEqualTo(1);
        assertThat(d.getDenyReason()).isEmpty();
        assertThat(auditTrail().countDocuments()).isEqualTo(before + 1);

        Document entry = lastAuditEntry();
        assertThat(entry.getString("personId")).isEqualTo(parent.substring("people/".length()));
        assertThat(entry.get("actor", Document.class)).isEqualTo(new Document("subject", "officer")
                .append("agency", "leeds-housing").append("agencyType", "HOUSING"));
        assertThat(entry.getString("purpose")).isEqualTo("DIRECT_SUPPORT");
        assertThat(entry.getString("requestId")).isEqualTo("req-allow-1");
        assertThat(entry.getDate("time").toInstant()).isEqualTo(CLOCK.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        List<Document> decisions = entry.getList("decisions", Document.class);
        assertThat(decisions).hasSize(1);
        assertThat(decisions.getFirst().getString("category")).isEqualTo("HOUSING");
        assertThat(decisions.getFirst().getBoolean("allowed")).isTrue();
        assertThat(decisions.getFirst().getString("consentId")).isEqualTo(id(c.getName()));
        assertThat(((Number) decisions.getFirst().get("consentVersion")).longValue()).isEqualTo(1);
        assertThat(entry.getString("hash")).hasSize(64);
        assertThat(entry.getString("previousHash")).hasSize(64);
    }

    @Test
    void deniesAreAuditedToo() {
        String parent = person();
        long before = auditTrail().countDocuments();
        Decision d = as(POLICE, "req-deny-1").decide(decide(parent, DataCategory.DATA_CATEGORY_JUSTICE,
                Purpose.PURPOSE_RISK_MANAGEMENT));
        assertThat(d.getAllowed()).isFalse();
        assertThat(d.getDenyReason()).isEqualTo("NO_CONSENT");
        assertThat(d.getBasisCase()).isEqualTo(Decision.BasisCase.BASIS_NOT_SET);
        assertThat(auditTrail().countDocuments()).isEqualTo(before + 1);
        Document entry = lastAuditEntry();
        assertThat(entry.getString("requestId")).isEqualTo("req-deny-1");
        Document decision = entry.getList("decisions", Document.class).getFirst();
        assertThat(decision.getBoolean("allowed")).isFalse();
        assertThat(decision.getString("denyReason")).isEqualTo("NO_CONSENT");
        // without a request id from the gateway, the service's own one is recorded
        as(POLICE).decide(decide(parent, DataCategory.DATA_CATEGORY_JUSTICE));
        assertThat(lastAuditEntry().getString("requestId")).isNotBlank().isNotEqualTo("-");
    }

    @Test
    void aBatchAnswersInRequestOrderAsOneAuditEntry() {
        String parent = person();
        Consent c = as(TREATMENT).createConsent(create(parent, consent()));
        long before = auditTrail().countDocuments();
        List<Decision> ds = as(PROBATION, "req-batch-1").batchDecide(batch(parent, Purpose.PURPOSE_DIRECT_SUPPORT,
                DataCategory.DATA_CATEGORY_RISK, DataCategory.DATA_CATEGORY_SUBSTANCE_USE,
                DataCategory.DATA_CATEGORY_HOUSING)).getDecisionsList();
        assertThat(ds).extracting(Decision::getCategory).containsExactly(DataCategory.DATA_CATEGORY_RISK,
                DataCategory.DATA_CATEGORY_SUBSTANCE_USE, DataCategory.DATA_CATEGORY_HOUSING);
        assertThat(ds).extracting(Decision::getAllowed).containsExactly(false, true, true);
        assertThat(ds.get(1).getConsent()).isEqualTo(c.getName());   // PROBATION by agency type
        assertThat(auditTrail().countDocuments()).isEqualTo(before + 1);
        assertThat(lastAuditEntry().getList("decisions", Document.class)).extracting(x -> x.getString("category"))
                .containsExactly("RISK", "SUBSTANCE_USE", "HOUSING");
        // every category at once
        assertThat(as(PROBATION).batchDecide(batch(parent, Purpose.PURPOSE_REFERRAL,
                Arrays.stream(DataCategory.values()).filter(x -> x != DataCategory.DATA_CATEGORY_UNSPECIFIED
                        && x != DataCategory.UNRECOGNIZED).toArray(DataCategory[]::new))).getDecisionsCount()).isEqualTo(12);
    }

    @Test
    void withdrawalIsHonouredByTheVeryNextDecide() {
        String parent = person();
        Consent c = as(TREATMENT).createConsent(create(parent, consent()));
        assertThat(as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_SUBSTANCE_USE)).getAllowed()).isTrue();
        as(TREATMENT).withdrawConsent(WithdrawConsentRequest.newBuilder().setName(c.getName())
                .setReason("No longer wants housing to know.").build());
        Decision after = as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_SUBSTANCE_USE));
        assertThat(after.getAllowed()).isFalse();
        assertThat(after.getDenyReason()).isEqualTo("NO_CONSENT");
        assertThat(as(PROBATION).batchDecide(batch(parent, Purpose.PURPOSE_DIRECT_SUPPORT,
                DataCategory.DATA_CATEGORY_HOUSING)).getDecisions(0).getAllowed()).isFalse();
    }

    @Test
    void anAmendmentCountsAtOnceAndTheBasisNamesTheNewVersion() {
        String parent = person();
        Consent v1 = as(TREATMENT).createConsent(create(parent, consent()));
        Consent v2 = as(TREATMENT).amendConsent(AmendConsentRequest.newBuilder()
                .setConsent(Consent.newBuilder().setName(v1.getName()).setEtag(v1.getEtag())
                        .addCategories(DataCategory.DATA_CATEGORY_HOUSING))
                .setUpdateMask(FieldMask.newBuilder().addPaths("categories")).build());
        assertThat(as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_SUBSTANCE_USE)).getAllowed()).isFalse();
        Decision d = as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING));
        assertThat(d.getConsentVersion()).isEqualTo(v2.getVersion()).isEqualTo(2);
    }

    @Test
    void expiredAndNotYetValidConsentsDoNotAllow() {
        String expiring = person();
        as(TREATMENT).createConsent(create(expiring, consent().setValidUntil(fromNow(Duration.ofHours(1)))));
        String later = person();
        as(TREATMENT).createConsent(create(later, consent().setValidFrom(fromNow(Duration.ofHours(1)))));
        assertThat(as(HOUSING).decide(decide(expiring, DataCategory.DATA_CATEGORY_HOUSING)).getAllowed()).isTrue();
        assertThat(as(HOUSING).decide(decide(later, DataCategory.DATA_CATEGORY_HOUSING)).getAllowed()).isFalse();
        CLOCK.advance(Duration.ofHours(1));
        assertThat(as(HOUSING).decide(decide(expiring, DataCategory.DATA_CATEGORY_HOUSING)).getAllowed()).isFalse();
        assertThat(as(HOUSING).decide(decide(later, DataCategory.DATA_CATEGORY_HOUSING)).getAllowed()).isTrue();
    }

    @Test
    void healthDataReachesThePoliceOnlyUnderAConsentNamingThatForce() {
        String parent = person();
        as(TREATMENT).createConsent(create(parent, consent().clearRecipients()
                .addRecipients(Recipient.newBuilder().setAgencyType(AgencyType.AGENCY_TYPE_POLICE))
                .addCategories(DataCategory.DATA_CATEGORY_JUSTICE)));
        List<Decision> byType = as(POLICE).batchDecide(batch(parent, Purpose.PURPOSE_DIRECT_SUPPORT,
                DataCategory.DATA_CATEGORY_SUBSTANCE_USE, DataCategory.DATA_CATEGORY_JUSTICE)).getDecisionsList();
        assertThat(byType.get(0).getAllowed()).isFalse();
        assertThat(byType.get(0).getDenyReason()).isEqualTo("HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT");
        assertThat(byType.get(1).getAllowed()).isTrue();
        Consent named = as(TREATMENT).createConsent(create(parent, consent().clearRecipients()
                .addRecipients(Recipient.newBuilder().setAgency("met-police"))));
        Decision d = as(POLICE).decide(decide(parent, DataCategory.DATA_CATEGORY_SUBSTANCE_USE));
        assertThat(d.getAllowed()).isTrue();
        assertThat(d.getConsent()).isEqualTo(named.getName());
    }

    @Test
    void aLegalBasisAllowsAtOnceAndARevocationDeniesAtOnce() {
        String parent = person();
        Decision before = as(POLICE).decide(decide(parent, DataCategory.DATA_CATEGORY_MENTAL_HEALTH,
                Purpose.PURPOSE_RISK_MANAGEMENT));
        assertThat(before.getDenyReason()).isEqualTo("HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT");
        LegalBasis b = as(POLICE).createLegalBasis(LegalBasisGrpcTest.create(parent, LegalBasisGrpcTest.legalBasis()));
        Decision allowed = as(POLICE).decide(decide(parent, DataCategory.DATA_CATEGORY_MENTAL_HEALTH,
                Purpose.PURPOSE_RISK_MANAGEMENT));
        assertThat(allowed.getAllowed()).isTrue();
        assertThat(allowed.getLegalBasis()).isEqualTo(b.getName());
        assertThat(lastAuditEntry().getList("decisions", Document.class).getFirst().getString("legalBasisId"))
                .isEqualTo(id(b.getName()));
        // not for another purpose, not for another agency
        assertThat(as(POLICE).decide(decide(parent, DataCategory.DATA_CATEGORY_MENTAL_HEALTH,
                Purpose.PURPOSE_REFERRAL)).getAllowed()).isFalse();
        assertThat(as(PROBATION).decide(decide(parent, DataCategory.DATA_CATEGORY_RISK,
                Purpose.PURPOSE_RISK_MANAGEMENT)).getAllowed()).isFalse();
        as(DPO).reviewLegalBasis(ReviewLegalBasisRequest.newBuilder().setName(b.getName())
                .setOutcome(ReviewOutcome.REVIEW_OUTCOME_REVOKE).setNote("Not proportionate.").build());
        Decision revoked = as(POLICE).decide(decide(parent, DataCategory.DATA_CATEGORY_MENTAL_HEALTH,
                Purpose.PURPOSE_RISK_MANAGEMENT));
        assertThat(revoked.getAllowed()).isFalse();
        assertThat(as(POLICE).decide(decide(parent, DataCategory.DATA_CATEGORY_RISK,
                Purpose.PURPOSE_RISK_MANAGEMENT)).getAllowed()).isFalse();
    }

    @Test
    void aLegalBasisStopsAllowingAtItsTimeLimit() {
        String parent = person();
        as(POLICE).createLegalBasis(LegalBasisGrpcTest.create(parent, LegalBasisGrpcTest.legalBasis()
                .setValidUntil(fromNow(Duration.ofHours(2)))));
        DecideRequest risk = decide(parent, DataCategory.DATA_CATEGORY_RISK, Purpose.PURPOSE_RISK_MANAGEMENT);
        assertThat(as(POLICE).decide(risk).getAllowed()).isTrue();
        CLOCK.advance(Duration.ofHours(2));
        assertThat(as(POLICE).decide(risk).getAllowed()).isFalse();
    }

    @Test
    void thePlatformIsDeniedAndThatIsAuditedToo() {
        String parent = person();
        as(TREATMENT).createConsent(create(parent, consent()));
        long before = auditTrail().countDocuments();
        for (String token : List.of(PLATFORM, DPO)) {
            Decision d = as(token).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING));
            assertThat(d.getAllowed()).isFalse();
            assertThat(d.getDenyReason()).isEqualTo("PLATFORM_SEES_NO_PERSONAL_DATA");
        }
        assertThat(auditTrail().countDocuments()).isEqualTo(before + 2);
    }

    @Test
    void badRequestsNameTheFieldAndWriteNothing() {
        String parent = person();
        String before = fingerprint();
        assertThat(fields(() -> as(HOUSING).decide(DecideRequest.getDefaultInstance())))
                .containsExactly("person", "category", "purpose");
        assertThat(fields(() -> as(HOUSING).decide(decide("people/../admin", DataCategory.DATA_CATEGORY_HOUSING))))
                .containsExactly("person");
        assertThat(fields(() -> as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_UNSPECIFIED))))
                .containsExactly("category");
        assertThat(fields(() -> as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING).toBuilder()
                .setCategoryValue(77).build()))).containsExactly("category");
        assertThat(fields(() -> as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING,
                Purpose.PURPOSE_UNSPECIFIED)))).containsExactly("purpose");
        assertThat(fields(() -> as(HOUSING).batchDecide(batch(parent, Purpose.PURPOSE_REFERRAL,
                DataCategory.DATA_CATEGORY_HOUSING, DataCategory.DATA_CATEGORY_RISK, DataCategory.DATA_CATEGORY_UNSPECIFIED))))
                .containsExactly("categories[2]");
        assertThat(fields(() -> as(HOUSING).batchDecide(batch(parent, Purpose.PURPOSE_REFERRAL,
                DataCategory.DATA_CATEGORY_HOUSING, DataCategory.DATA_CATEGORY_RISK, DataCategory.DATA_CATEGORY_HOUSING))))
                .containsExactly("categories[2]");
        assertThat(fields(() -> as(HOUSING).batchDecide(batch(parent, Purpose.PURPOSE_REFERRAL))))
                .containsExactly("categories");
        List<DataCategory> thirteen = new ArrayList<>(Arrays.stream(DataCategory.values())
                .filter(x -> x != DataCategory.DATA_CATEGORY_UNSPECIFIED && x != DataCategory.UNRECOGNIZED).toList());
        thirteen.add(DataCategory.DATA_CATEGORY_RISK);
        assertThat(fields(() -> as(HOUSING).batchDecide(batch(parent, Purpose.PURPOSE_REFERRAL,
                thirteen.toArray(DataCategory[]::new))))).containsExactly("categories");
        assertThat(fields(() -> as(HOUSING).batchDecide(BatchDecideRequest.getDefaultInstance())))
                .containsExactly("person", "categories", "purpose");
        assertThat(fingerprint()).isEqualTo(before);
        assertCode(Status.Code.UNAUTHENTICATED, () -> anonymous().decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING)));
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void whenTheAuditTrailCannotBeWrittenNoDecisionIsGiven() {
        String parent = person();
        as(TREATMENT).createConsent(create(parent, consent()));
        String before = fingerprint();
        audit.failing = true;
        try {
            StatusRuntimeException single = failure(() -> as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING)));
            assertThat(single.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(reason(single)).isEqualTo("AUDIT_UNAVAILABLE");
            assertCode(Status.Code.UNAVAILABLE, () -> as(HOUSING).batchDecide(batch(parent, Purpose.PURPOSE_DIRECT_SUPPORT,
                    DataCategory.DATA_CATEGORY_HOUSING)));
        } finally {
            audit.failing = false;
        }
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING)).getAllowed()).isTrue();
    }
}

package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.AccessRecord;
import bridge.proto.consent.v1.DecideRequest;
import bridge.proto.consent.v1.ListAccessRecordsRequest;
import bridge.proto.consent.v1.ListAccessRecordsResponse;
import bridge.proto.consent.v1.VerifyAuditTrailRequest;
import bridge.proto.consent.v1.VerifyAuditTrailResponse;
import bridge.support.testing.TestTokens;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** ListAccessRecords (subject access) and VerifyAuditTrail, including tampering with the stored chain. */
class AuditTrailGrpcTest extends GrpcTestBase {

    static final String OPERATOR = TestTokens.token("bridge-platform", "PLATFORM", "ops-1", "platform-operator");

    static ListAccessRecordsRequest list(String parent, int pageSize, String token) {
        return ListAccessRecordsRequest.newBuilder().setParent(parent).setPageSize(pageSize).setPageToken(token).build();
    }

    static DecideRequest decide(String parent, DataCategory category) {
        return DecideRequest.newBuilder().setPerson(parent).setCategory(category)
                .setPurpose(Purpose.PURPOSE_DIRECT_SUPPORT).build();
    }

    /** The full walk: these tests tamper with entries an earlier verification already read. */
    VerifyAuditTrailResponse verify() {
        return as(DPO).verifyAuditTrail(VerifyAuditTrailRequest.newBuilder().setFull(true).build());
    }

    // ---- ListAccessRecords ----

    @Test
    void accessRecordsSayWhoSawWhatWhenAndWhyNewestFirst() {
        String parent = person();
        as(TREATMENT).createConsent(create(parent, consent()));
        as(HOUSING, "r-1").decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING));
        as(POLICE, "r-2").decide(decide(parent, DataCategory.DATA_CATEGORY_SUBSTANCE_USE));
        as(HOUSING).decide(decide(person(), DataCategory.DATA_CATEGORY_HOUSING));    // someone else

        List<AccessRecord> records = as(TREATMENT).listAccessRecords(list(parent, 0, "")).getAccessRecordsList();
        assertThat(records).hasSize(2);
        AccessRecord police = records.get(0);
        AccessRecord housing = records.get(1);
        assertThat(police.getSequence()).isGreaterThan(housing.getSequence());
        assertThat(police.getRequestId()).isEqualTo("r-2");
        assertThat(police.getActor().getAgency()).isEqualTo("met-police");
        assertThat(police.getActor().getSubject()).isEqualTo("pc-1");
        assertThat(police.getPerson()).isEqualTo(parent);
        assertThat(police.getPurpose()).isEqualTo(Purpose.PURPOSE_DIRECT_SUPPORT);
        assertThat(police.getDecisions(0).getAllowed()).isFalse();
        assertThat(police.getDecisions(0).getDenyReason()).isEqualTo("HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT");
        assertThat(housing.getDecisions(0).getAllowed()).isTrue();
        assertThat(housing.getDecisions(0).getConsent()).startsWith(parent + "/consents/");
        assertThat(housing.getHash()).hasSize(64);
        assertThat(housing.hasTime()).isTrue();
        // the DPO reads them too
        assertThat(as(DPO).listAccessRecords(list(parent, 0, "")).getAccessRecordsList()).isEqualTo(records);
    }

    @Test
    void pagesNewestFirstWithoutGapsOrRepeats() {
        String parent = person();
        as(TREATMENT).createConsent(create(parent, consent()));
        List<Long> written = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            as(HOUSING, "page-" + i).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING));
            written.add(((Number) auditTrail().find().sort(new Document("_id", -1)).first().get("_id")).longValue());
        }
        ListAccessRecordsResponse first = as(TREATMENT).listAccessRecords(list(parent, 0, ""));
        assertThat(first.getAccessRecordsCount()).isEqualTo(20);                   // default page size
        assertThat(first.getNextPageToken()).isNotEmpty();
        List<Long> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListAccessRecordsResponse page = as(TREATMENT).listAccessRecords(list(parent, 10, token));
            page.getAccessRecordsList().forEach(r -> seen.add(r.getSequence()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(written.reversed());
        assertThat(as(TREATMENT).listAccessRecords(list(parent, 1000, "")).getAccessRecordsCount()).isEqualTo(25);
        // tokens are bound to the person, and must be ours
        String token1 = as(TREATMENT).listAccessRecords(list(parent, 5, "")).getNextPageToken();
        String other = person();
        as(TREATMENT).createConsent(create(other, consent()));
        assertThat(fields(() -> as(TREATMENT).listAccessRecords(list(other, 5, token1)))).containsExactly("page_token");
        assertThat(fields(() -> as(TREATMENT).listAccessRecords(list(parent, -1, "junk"))))
                .containsExactly("page_size", "page_token");
        assertThat(fields(() -> as(TREATMENT).listAccessRecords(list("people/x", 0, "")))).containsExactly("parent");
    }

    @Test
    void onlyTheDpoAndAgenciesThatRecordedAConsentOrLegalBasisMayReadThemOthersAreToldNotFound() {
        String parent = person();
        as(TREATMENT).createConsent(create(parent, consent()));                   // names leeds-housing
        as(BENEFITS).createLegalBasis(LegalBasisGrpcTest.create(parent, LegalBasisGrpcTest.legalBasis()));
        as(HOUSING).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING));
        for (String allowed : List.of(TREATMENT, TREATMENT_2, BENEFITS, DPO)) {
            assertThat(as(allowed).listAccessRecords(list(parent, 0, "")).getAccessRecordsCount()).isEqualTo(1);
        }
        // a recipient (housing), the legal basis' recipient (police), an unrelated agency: the same answer as
        // for a person nobody has heard of
        StatusRuntimeException unknownPerson = failure(() -> as(HOUSING).listAccessRecords(list(person(), 0, "")));
        assertThat(unknownPerson.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        for (String refused : List.of(HOUSING, POLICE, HEALTH)) {
            StatusRuntimeException e = failure(() -> as(refused).listAccessRecords(list(parent, 0, "")));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(reason(e)).isEqualTo(reason(unknownPerson));
        }
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(PLATFORM).listAccessRecords(list(parent, 0, "")));
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(OPERATOR).listAccessRecords(list(parent, 0, "")));
    }

    // ---- VerifyAuditTrail ----

    @Test
    void onlyTheDpoAndPlatformOperatorsVerify() {
        as(HOUSING).decide(decide(person(), DataCategory.DATA_CATEGORY_HOUSING));
        VerifyAuditTrailResponse r = as(OPERATOR).verifyAuditTrail(VerifyAuditTrailRequest.newBuilder().setFull(true).build());
        assertThat(r.getIntact()).isTrue();
        assertThat(r.getEntriesChecked()).isEqualTo(auditTrail().countDocuments());
        assertThat(r.getFirstBadSequence()).isZero();
        assertThat(r.getProblem()).isEmpty();
        assertThat(r.getLastHash()).isEqualTo(auditTrail().find().sort(new Document("_id", -1)).first().getString("hash"));
        assertThat(verify()).isEqualTo(r);
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(HOUSING).verifyAuditTrail(VerifyAuditTrailRequest.getDefaultInstance()));
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(TestTokens.token("leeds-housing", "HOUSING", "m", "manager"))
                .verifyAuditTrail(VerifyAuditTrailRequest.getDefaultInstance()));
    }

    @Test
    void byDefaultOnlyWhatIsNewSinceTheLastIntactVerificationIsRead() {
        as(HOUSING).decide(decide(person(), DataCategory.DATA_CATEGORY_HOUSING));
        verify();  // a full walk leaves the checkpoint at the head
        as(HOUSING).decide(decide(person(), DataCategory.DATA_CATEGORY_HOUSING));
        as(HOUSING).decide(decide(person(), DataCategory.DATA_CATEGORY_HOUSING));
        VerifyAuditTrailResponse r = as(DPO).verifyAuditTrail(VerifyAuditTrailRequest.getDefaultInstance());
        assertThat(r.getIntact()).isTrue();
        // the two new entries, unless other tests' requests appended more in between
        assertThat(r.getEntriesChecked()).isBetween(2L, auditTrail().countDocuments() - 1);
        assertThat(r.getLastHash()).isEqualTo(verify().getLastHash());
    }

    @Test
    void tamperingWithTheStoredTrailIsFoundAtExactlyThatEntry() {
        String parent = person();
        as(TREATMENT).createConsent(create(parent, consent()));
        for (int i = 0; i < 4; i++) {
            as(HOUSING, "tamper-" + i).decide(decide(parent, DataCategory.DATA_CATEGORY_HOUSING));
        }
        assertThat(verify().getIntact()).isTrue();
        long total = auditTrail().countDocuments();
        long last = ((Number) auditTrail().find().sort(new Document("_id", -1)).first().get("_id")).longValue();
        long k = last - 2;  // one of ours, with one of ours after it
        Document original = auditTrail().find(new Document("_id", k)).first();
        Document next = auditTrail().find(new Document("_id", k + 1)).first();

        // 1. change a category of entry k
        auditTrail().updateOne(new Document("_id", k), new Document("$set", new Document("decisions.0.category", "FAMILY")));
        VerifyAuditTrailResponse altered = verify();
        assertThat(altered.getIntact()).isFalse();
        assertThat(altered.getFirstBadSequence()).isEqualTo(k);
        assertThat(altered.getProblem()).contains("altered");
        assertThat(altered.getEntriesChecked()).isEqualTo(k);
        auditTrail().replaceOne(new Document("_id", k), original);
        assertThat(verify().getIntact()).isTrue();

        // 2. delete entry k
        auditTrail().deleteOne(new Document("_id", k));
        VerifyAuditTrailResponse removed = verify();
        assertThat(removed.getIntact()).isFalse();
        assertThat(removed.getFirstBadSequence()).isEqualTo(k);
        assertThat(removed.getProblem()).contains("missing");
        auditTrail().insertOne(original);
        assertThat(verify().getIntact()).isTrue();

        // 3. swap entries k and k+1 (each keeps its content, takes the other's place)
        Document swappedK = new Document(next).append("_id", k);
        Document swappedK1 = new Document(original).append("_id", k + 1);
        auditTrail().replaceOne(new Document("_id", k), swappedK);
        auditTrail().replaceOne(new Document("_id", k + 1), swappedK1);
        VerifyAuditTrailResponse reordered = verify();
        assertThat(reordered.getIntact()).isFalse();
        assertThat(reordered.getFirstBadSequence()).isEqualTo(k);
        assertThat(reordered.getProblem()).contains("reordered");
        auditTrail().replaceOne(new Document("_id", k), original);
        auditTrail().replaceOne(new Document("_id", k + 1), next);

        // 4. an unreadable entry (a value no decision can have)
        auditTrail().updateOne(new Document("_id", k), new Document("$set", new Document("purpose", "CURIOSITY")));
        assertThat(verify().getFirstBadSequence()).isEqualTo(k);
        auditTrail().replaceOne(new Document("_id", k), original);

        VerifyAuditTrailResponse restored = verify();
        assertThat(restored.getIntact()).isTrue();
        assertThat(restored.getEntriesChecked()).isEqualTo(total);
    }
}

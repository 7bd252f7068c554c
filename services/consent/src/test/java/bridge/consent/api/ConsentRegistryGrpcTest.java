package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.AgencyType;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.AmendConsentRequest;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.ConsentState;
import bridge.proto.consent.v1.CreateConsentRequest;
import bridge.proto.consent.v1.GetConsentRequest;
import bridge.proto.consent.v1.ListConsentVersionsRequest;
import bridge.proto.consent.v1.Recipient;
import bridge.proto.consent.v1.WithdrawConsentRequest;
import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GetConsent, AmendConsent, WithdrawConsent and ListConsentVersions over in-process gRPC. */
class ConsentRegistryGrpcTest extends GrpcTestBase {

    private Consent record(String token) {
        return as(token).createConsent(create(person(), consent()));
    }

    private static GetConsentRequest get(Consent c) {
        return GetConsentRequest.newBuilder().setName(c.getName()).build();
    }

    private static AmendConsentRequest amend(Consent current, UnaryOperator<Consent.Builder> change, String... paths) {
        return AmendConsentRequest.newBuilder()
                .setConsent(change.apply(Consent.newBuilder().setName(current.getName()).setEtag(current.getEtag())))
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths)))
                .build();
    }

    private static WithdrawConsentRequest withdraw(Consent c, String reason) {
        return WithdrawConsentRequest.newBuilder().setName(c.getName()).setReason(reason).build();
    }

    private static ListConsentVersionsRequest versions(Consent c) {
        return ListConsentVersionsRequest.newBuilder().setName(c.getName()).build();
    }

    // ---- GetConsent ----

    @Test
    void theRecorderRecipientsAndTheDpoReadAConsentOthersAreToldNotFound() {
        Consent c = record(TREATMENT);
        assertThat(c.getVersion()).isEqualTo(1);
        assertThat(c.getEtag()).isNotEmpty();
        assertThat(c.getUpdateTime()).isEqualTo(c.getCreateTime());
        assertThat(c.getUpdatedBy()).isEqualTo(c.getRecordedBy());
        for (String reader : List.of(TREATMENT, TREATMENT_2, HOUSING, PROBATION, DPO)) {
            assertThat(as(reader).getConsent(get(c))).isEqualTo(c);
        }
        // not a recipient: the same answer as for a consent that does not exist
        StatusRuntimeException unrelated = failure(() -> as(POLICE).getConsent(get(c)));
        String missingName = c.getName().substring(0, c.getName().lastIndexOf('/') + 1) + "abcdefghijkmnpqrstuv";
        StatusRuntimeException missing = failure(() -> as(POLICE).getConsent(
                GetConsentRequest.newBuilder().setName(missingName).build()));
        assertThat(unrelated.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(reason(unrelated)).isEqualTo(reason(missing)).isEqualTo("CONSENT_NOT_FOUND");
        assertCode(Status.Code.NOT_FOUND, () -> as(OTHER_TREATMENT).getConsent(get(c)));
        // the right consent id under another person's name is not found either
        assertCode(Status.Code.NOT_FOUND, () -> as(TREATMENT).getConsent(GetConsentRequest.newBuilder()
                .setName(person() + "/consents/" + id(c.getName())).build()));
        // the platform: refused outright
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(PLATFORM).getConsent(get(c)));
        assertThat(fields(() -> as(TREATMENT).getConsent(GetConsentRequest.newBuilder().setName("consents/x").build())))
                .containsExactly("name");
    }

    // ---- AmendConsent ----

    @Test
    void anAmendmentWritesANewVersionAndKeepsTheHistory() {
        Consent v1 = record(TREATMENT);
        CLOCK.advance(Duration.ofMinutes(5));
        Consent v2 = as(TREATMENT_2).amendConsent(amend(v1, c -> c
                .addCategories(DataCategory.DATA_CATEGORY_RISK)
                .addRecipients(Recipient.newBuilder().setAgency("leeds-nhs"))
                .setCapacityNote("Amended the categories at review."), "categories", "recipients", "capacity_note"));
        assertThat(v2.getName()).isEqualTo(v1.getName());
        assertThat(v2.getVersion()).isEqualTo(2);
        assertThat(v2.getEtag()).isNotEqualTo(v1.getEtag());
        assertThat(v2.getCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_RISK);
        assertThat(v2.getRecipientsList()).extracting(Recipient::getAgency).containsExactly("leeds-nhs");
        assertThat(v2.getCapacityNote()).isEqualTo("Amended the categories at review.");
        assertThat(v2.getPurposesList()).isEqualTo(v1.getPurposesList());           // not in the mask: kept
        assertThat(v2.getMethod()).isEqualTo(v1.getMethod());
        assertThat(v2.getRecordedBy()).isEqualTo(v1.getRecordedBy());
        assertThat(v2.getCreateTime()).isEqualTo(v1.getCreateTime());
        assertThat(v2.getUpdatedBy().getSubject()).isEqualTo("keyworker-2");
        assertThat(v2.getUpdateTime()).isNotEqualTo(v1.getUpdateTime());
        assertThat(as(TREATMENT).getConsent(get(v1))).isEqualTo(v2);

        Consent v3 = as(TREATMENT).amendConsent(amend(v2, c -> c.addPurposes(Purpose.PURPOSE_REFERRAL)
                .addPurposes(Purpose.PURPOSE_RISK_MANAGEMENT), "purposes"));
        List<Consent> history = as(TREATMENT).listConsentVersions(versions(v1)).getVersionsList();
        assertThat(history).extracting(Consent::getVersion).containsExactly(1L, 2L, 3L);
        assertThat(history).extracting(Consent::getState).containsExactly(ConsentState.CONSENT_STATE_SUPERSEDED,
                ConsentState.CONSENT_STATE_SUPERSEDED, ConsentState.CONSENT_STATE_ACTIVE);
        // each version as it was written
        assertThat(history.get(0).toBuilder().setState(ConsentState.CONSENT_STATE_ACTIVE).build()).isEqualTo(v1);
        assertThat(history.get(1).toBuilder().setState(ConsentState.CONSENT_STATE_ACTIVE).build()).isEqualTo(v2);
        assertThat(history.get(2)).isEqualTo(v3);
        // stored: one current version (the element checks there is exactly one), three immutable versions
        String id = id(v1.getName());
        assertThat(((Number) element(v1.getName(), "consents").get("version")).longValue()).isEqualTo(3);
        assertThat(versions().countDocuments(new Document("consentId", id))).isEqualTo(3);
        // the new recipient now reads it, and its history; the dropped ones no longer do
        assertThat(as(HEALTH).listConsentVersions(versions(v1)).getVersionsCount()).isEqualTo(3);
        assertCode(Status.Code.NOT_FOUND, () -> as(HOUSING).getConsent(get(v1)));
    }

    @Test
    void aStaleEtagIsAbortedAndWritesNothing() {
        Consent v1 = record(TREATMENT);
        as(TREATMENT).amendConsent(amend(v1, c -> c.addCategories(DataCategory.DATA_CATEGORY_RISK), "categories"));
        String before = fingerprint();
        StatusRuntimeException stale = failure(() -> as(TREATMENT).amendConsent(
                amend(v1, c -> c.addCategories(DataCategory.DATA_CATEGORY_FAMILY), "categories")));
        assertThat(stale.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(reason(stale)).isEqualTo("ETAG_MISMATCH");
        assertCode(Status.Code.ABORTED, () -> as(TREATMENT).withdrawConsent(withdraw(v1, "").toBuilder()
                .setEtag(v1.getEtag()).build()));
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void concurrentAmendmentsOfOneVersionLetExactlyOneWin() throws Exception {
        Consent v1 = record(TREATMENT);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Status.Code>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String note = "writer " + i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    as(TREATMENT).amendConsent(amend(v1, c -> c.setCapacityNote(note), "capacity_note"));
                    return Status.Code.OK;
                } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode();
                }
            }));
        }
        start.countDown();
        List<Status.Code> codes = new ArrayList<>();
        for (Future<Status.Code> f : results) {
            codes.add(f.get(20, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(codes).containsOnly(Status.Code.OK, Status.Code.ABORTED);
        assertThat(codes).filteredOn(c -> c == Status.Code.OK).hasSize(1);
        List<Consent> history = as(TREATMENT).listConsentVersions(versions(v1)).getVersionsList();
        assertThat(history).extracting(Consent::getVersion).containsExactly(1L, 2L);
        assertThat(versions().countDocuments(new Document("consentId", id(v1.getName())))).isEqualTo(2);
    }

    static Stream<Arguments> badAmendments() {
        return Stream.of(
                Arguments.of("unspecified category", (UnaryOperator<Consent.Builder>) c -> c
                        .addCategories(DataCategory.DATA_CATEGORY_HOUSING).addCategories(DataCategory.DATA_CATEGORY_UNSPECIFIED),
                        List.of("categories"), "consent.categories[1]"),
                Arguments.of("unrecognised category", (UnaryOperator<Consent.Builder>) c -> c.addCategoriesValue(42),
                        List.of("categories"), "consent.categories[0]"),
                Arguments.of("recipient agency that does not exist", (UnaryOperator<Consent.Builder>) c -> c
                        .addRecipients(Recipient.newBuilder().setAgency("leeds-housing"))
                        .addRecipients(Recipient.newBuilder().setAgency("atlantis-housing")),
                        List.of("recipients"), "consent.recipients[1].agency"),
                Arguments.of("period ending before it starts", (UnaryOperator<Consent.Builder>) c -> c
                        .setValidFrom(fromNow(Duration.ofDays(10))).setValidUntil(fromNow(Duration.ofDays(5))),
                        List.of("valid_from", "valid_until"), "consent.valid_until"),
                Arguments.of("ending in the past", (UnaryOperator<Consent.Builder>) c -> c
                        .setValidUntil(fromNow(Duration.ofDays(-1))), List.of("valid_until"), "consent.valid_until"),
                Arguments.of("no purposes left", (UnaryOperator<Consent.Builder>) c -> c, List.of("purposes"),
                        "consent.purposes"),
                Arguments.of("a field that cannot change", (UnaryOperator<Consent.Builder>) c -> c,
                        List.of("capacity_note", "recorded_by"), "update_mask.paths[1]"),
                Arguments.of("an empty mask", (UnaryOperator<Consent.Builder>) c -> c, List.of(), "update_mask"),
                Arguments.of("no etag", (UnaryOperator<Consent.Builder>) c -> c.clearEtag(), List.of("capacity_note"),
                        "consent.etag"),
                Arguments.of("a malformed name", (UnaryOperator<Consent.Builder>) c -> c.setName("people/x/consents/y"),
                        List.of("capacity_note"), "consent.name"));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("badAmendments")
    void badAmendmentsNameTheFieldAndWriteNothing(String rule, UnaryOperator<Consent.Builder> change, List<String> mask,
                                                  String field) {
        Consent v1 = record(TREATMENT);
        String before = fingerprint();
        assertThat(fields(() -> as(TREATMENT).amendConsent(amend(v1, change, mask.toArray(String[]::new)))))
                .containsExactly(field);
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(as(TREATMENT).getConsent(get(v1))).isEqualTo(v1);
    }

    @Test
    void onlyTheRecordingAgencyAmends() {
        Consent v1 = record(TREATMENT);
        String before = fingerprint();
        AmendConsentRequest request = amend(v1, c -> c.setCapacityNote("x"), "capacity_note");
        StatusRuntimeException recipient = failure(() -> as(HOUSING).amendConsent(request));
        assertThat(recipient.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(recipient.getStatus().getDescription()).contains("forward-leeds");
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(DPO).amendConsent(request));
        assertCode(Status.Code.NOT_FOUND, () -> as(OTHER_TREATMENT).amendConsent(request));
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(PLATFORM).amendConsent(request));
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void anExpiredConsentCanBeRenewed() {
        Consent v1 = as(TREATMENT).createConsent(create(person(), consent().setValidUntil(fromNow(Duration.ofHours(1)))));
        CLOCK.advance(Duration.ofHours(2));
        assertThat(as(TREATMENT).getConsent(get(v1)).getState()).isEqualTo(ConsentState.CONSENT_STATE_EXPIRED);
        Consent renewed = as(TREATMENT).amendConsent(amend(v1, c -> c.setValidUntil(fromNow(Duration.ofDays(180))),
                "valid_until"));
        assertThat(renewed.getState()).isEqualTo(ConsentState.CONSENT_STATE_ACTIVE);
        assertThat(renewed.getVersion()).isEqualTo(2);
    }

    @Test
    void aConsentStartingLaterIsNotYetValid() {
        Consent later = as(TREATMENT).createConsent(create(person(), consent().setValidFrom(fromNow(Duration.ofDays(2)))));
        assertThat(later.getState()).isEqualTo(ConsentState.CONSENT_STATE_NOT_YET_VALID);
        CLOCK.advance(Duration.ofDays(2));
        assertThat(as(TREATMENT).getConsent(get(later)).getState()).isEqualTo(ConsentState.CONSENT_STATE_ACTIVE);
    }

    // ---- WithdrawConsent ----

    @Test
    void withdrawalEndsTheConsentAtOnceAndItCannotBeAmendedAfterwards() {
        Consent v1 = record(TREATMENT);
        CLOCK.advance(Duration.ofSeconds(30));
        Consent withdrawn = as(TREATMENT_2).withdrawConsent(withdraw(v1, "  Asked us to stop sharing.  ").toBuilder()
                .setEtag(v1.getEtag()).build());
        assertThat(withdrawn.getState()).isEqualTo(ConsentState.CONSENT_STATE_WITHDRAWN);
        assertThat(withdrawn.getVersion()).isEqualTo(2);
        assertThat(withdrawn.getWithdrawTime()).isEqualTo(withdrawn.getUpdateTime());
        assertThat(withdrawn.getWithdrawnBy().getSubject()).isEqualTo("keyworker-2");
        assertThat(withdrawn.getWithdrawnBy().getAgency()).isEqualTo("forward-leeds");
        assertThat(withdrawn.getWithdrawnBy().getAgencyType()).isEqualTo(AgencyType.AGENCY_TYPE_TREATMENT);
        assertThat(withdrawn.getWithdrawalReason()).isEqualTo("Asked us to stop sharing.");
        assertThat(as(HOUSING).getConsent(get(v1))).isEqualTo(withdrawn);
        assertThat(as(TREATMENT).listConsentVersions(versions(v1)).getVersionsList()).extracting(Consent::getState)
                .containsExactly(ConsentState.CONSENT_STATE_SUPERSEDED, ConsentState.CONSENT_STATE_WITHDRAWN);

        String before = fingerprint();
        StatusRuntimeException amend = failure(() -> as(TREATMENT).amendConsent(
                amend(withdrawn, c -> c.setCapacityNote("too late"), "capacity_note")));
        assertThat(amend.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(amend.getStatus().getDescription()).contains("WITHDRAWN");
        assertCode(Status.Code.FAILED_PRECONDITION, () -> as(TREATMENT).withdrawConsent(withdraw(v1, "")));
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void withdrawalOfSomeoneElsesConsentByANonAuthorisedAgencyIsRefusedAndWritesNothing() {
        Consent v1 = record(TREATMENT);
        String before = fingerprint();
        // a recipient: it sees the consent, so it is told it may not withdraw it
        StatusRuntimeException recipient = failure(() -> as(HOUSING).withdrawConsent(withdraw(v1, "")));
        assertThat(recipient.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(recipient.getStatus().getDescription())
                .contains("only the agency that recorded this consent (forward-leeds) or a data-protection officer");
        // an agency with no part in it: not told the consent exists
        assertCode(Status.Code.NOT_FOUND, () -> as(POLICE).withdrawConsent(withdraw(v1, "")));
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(PLATFORM).withdrawConsent(withdraw(v1, "")));
        assertThat(fields(() -> as(TREATMENT).withdrawConsent(withdraw(v1, "x".repeat(1001))))).containsExactly("reason");
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(as(TREATMENT).getConsent(get(v1)).getState()).isEqualTo(ConsentState.CONSENT_STATE_ACTIVE);
    }

    @Test
    void aDataProtectionOfficerMayWithdrawAnyConsent() {
        Consent v1 = record(TREATMENT);
        Consent withdrawn = as(DPO).withdrawConsent(withdraw(v1, "Complaint upheld by the DPO."));
        assertThat(withdrawn.getState()).isEqualTo(ConsentState.CONSENT_STATE_WITHDRAWN);
        assertThat(withdrawn.getWithdrawnBy().getSubject()).isEqualTo("dpo");
        assertThat(withdrawn.getWithdrawnBy().getAgency()).isEqualTo("bridge-platform");
    }

    @Test
    void versionsAreVisibleToThoseWhoMayReadTheConsent() {
        Consent v1 = record(TREATMENT);
        assertThat(as(DPO).listConsentVersions(versions(v1)).getVersionsList()).containsExactly(v1);
        assertCode(Status.Code.NOT_FOUND, () -> as(POLICE).listConsentVersions(versions(v1)));
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(PLATFORM).listConsentVersions(versions(v1)));
        assertThat(fields(() -> as(TREATMENT).listConsentVersions(ListConsentVersionsRequest.getDefaultInstance())))
                .containsExactly("name");
    }

    @Test
    void aVersionMissingFromTheHistoryAfterACrashIsSuppliedByThePointerAndRepairedByTheNextChange() {
        Consent v1 = record(TREATMENT);
        Consent v2 = as(TREATMENT).amendConsent(amend(v1, c -> c.setCapacityNote("second"), "capacity_note"));
        // simulate a crash after the pointer moved but before version 2 reached the history
        String id = id(v1.getName());
        versions().deleteOne(new Document("_id", id + "/2"));
        assertThat(as(TREATMENT).listConsentVersions(versions(v1)).getVersionsList()).extracting(Consent::getVersion)
                .containsExactly(1L, 2L);
        Consent v3 = as(TREATMENT).amendConsent(amend(v2, c -> c.setCapacityNote("third"), "capacity_note"));
        assertThat(versions().countDocuments(new Document("consentId", id))).isEqualTo(3);
        List<Consent> history = as(TREATMENT).listConsentVersions(versions(v1)).getVersionsList();
        assertThat(history).extracting(Consent::getCapacityNote)
                .containsExactly("Understood and signed the form.", "second", "third");
        assertThat(history.getLast()).isEqualTo(v3);
    }

    @Test
    void aRetryFinishesACreateThatStoppedAfterClaimingItsKey() {
        String parent = person();
        CreateConsentRequest request = create(parent, consent()).toBuilder().setRequestId("crash-after-claim").build();
        Consent first = as(TREATMENT).createConsent(request);
        // simulate a crash right after the claim: the consent never reached the person's document or the history
        String personId = parent.substring("people/".length());
        subjects().updateOne(new Document("_id", personId),
                new Document("$pull", new Document("consents", new Document("id", id(first.getName())))));
        versions().deleteOne(new Document("_id", id(first.getName()) + "/1"));
        assertCode(Status.Code.NOT_FOUND, () -> as(TREATMENT).getConsent(get(first)));
        Consent retried = as(TREATMENT).createConsent(request);
        assertThat(retried).isEqualTo(first);
        assertThat(as(TREATMENT).getConsent(get(first))).isEqualTo(first);
        assertThat(as(TREATMENT).listConsentVersions(versions(first)).getVersionsCount()).isEqualTo(1);
        assertThat(versions().countDocuments(new Document("_id", id(first.getName()) + "/1"))).isEqualTo(1);
    }

    @Test
    void aRetryAfterAnAmendmentAnswersWithTheCurrentVersion() {
        CreateConsentRequest request = create(person(), consent()).toBuilder().setRequestId("retry-after-amend").build();
        Consent v1 = as(TREATMENT).createConsent(request);
        Consent v2 = as(TREATMENT).amendConsent(amend(v1, c -> c.setCapacityNote("amended"), "capacity_note"));
        String before = fingerprint();
        assertThat(as(TREATMENT).createConsent(request)).isEqualTo(v2);
        assertThat(fingerprint()).isEqualTo(before);
    }
}

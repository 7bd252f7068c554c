package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.proto.common.v1.AgencyType;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.Consent;
import bridge.proto.consent.v1.ConsentState;
import bridge.proto.consent.v1.CreateConsentRequest;
import bridge.proto.consent.v1.ListConsentsRequest;
import bridge.proto.consent.v1.ListConsentsResponse;
import bridge.proto.consent.v1.Recipient;
import bridge.support.grpc.ProtoMapping;
import bridge.support.testing.TestTokens;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CreateConsent and ListConsents over in-process gRPC. */
class ConsentGrpcServiceTest extends GrpcTestBase {

    private static ListConsentsRequest list(String parent) {
        return ListConsentsRequest.newBuilder().setParent(parent).build();
    }

    @Test
    void recordsAConsentAndListsItBack() {
        String parent = person();
        Instant until = CLOCK.instant().plus(Duration.ofDays(180));
        Consent created = as(TREATMENT).createConsent(create(parent, consent().setValidUntil(at(until))));
        assertThat(created.getName()).startsWith(parent + "/consents/");
        assertThat(created.getState()).isEqualTo(ConsentState.CONSENT_STATE_ACTIVE);
        assertThat(created.getRecordedBy().getAgency()).isEqualTo("forward-leeds");
        assertThat(created.getRecordedBy().getSubject()).isEqualTo("keyworker-1");
        assertThat(created.getRecordedBy().getAgencyType()).isEqualTo(AgencyType.AGENCY_TYPE_TREATMENT);
        // valid_from defaults to the moment of recording; times are kept to the millisecond
        assertThat(created.getValidFrom()).isEqualTo(created.getCreateTime());
        assertThat(created.getCreateTime().getNanos() % 1_000_000).isZero();
        assertThat(created.getValidUntil().getSeconds()).isEqualTo(until.getEpochSecond());
        assertThat(created.getRecipientsList()).extracting(Recipient::getRecipientCase)
                .containsExactly(Recipient.RecipientCase.AGENCY, Recipient.RecipientCase.AGENCY_TYPE);

        ListConsentsResponse listed = as(TREATMENT).listConsents(list(parent));
        assertThat(listed.getConsentsList()).containsExactly(created);
        assertThat(listed.getNextPageToken()).isEmpty();

        assertThat(db.getName()).isEqualTo("consent-test");
        String id = created.getName().substring(created.getName().lastIndexOf('/') + 1);
        // stored as the current version in the person's document, and as version 1 in the history
        Document stored = element(created.getName(), "consents");
        assertThat(versions().find(new Document("_id", id + "/1")).first()).isNotNull();
        assertThat(stored.getString("personId")).isEqualTo(parent.substring("people/".length()));
        assertThat(stored.getString("state")).isEqualTo("ACTIVE");
        assertThat(((Number) stored.get("version")).longValue()).isEqualTo(1);
        assertThat(stored.getList("categories", String.class)).containsExactly("SUBSTANCE_USE", "HOUSING");
    }

    @Test
    void aRetriedCreateReturnsTheSameConsent() {
        String parent = person();
        CreateConsentRequest request = create(parent, consent()).toBuilder().setRequestId("consent-retry-1").build();
        Consent first = as(TREATMENT).createConsent(request);
        String count = fingerprint();
        Consent second = as(TREATMENT).createConsent(request);
        assertThat(second).isEqualTo(first);
        assertThat(fingerprint()).isEqualTo(count);
        // the same key from another agency is another request
        Consent other = as(HOUSING).createConsent(request);
        assertThat(other.getName()).isNotEqualTo(first.getName());
        // the same key for another person is a mistake, not a retry
        assertThatThrownBy(() -> as(TREATMENT).createConsent(request.toBuilder().setParent(person()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(fields(e)).containsExactly("request_id"));
    }

    @Test
    void listsWhatTheRecorderTheRecipientsAndTheDpoMaySeeAndNothingToOthers() {
        String parent = person();
        Consent toHousingAndProbation = as(TREATMENT).createConsent(create(parent, consent()));
        CLOCK.advance(Duration.ofMillis(1)); // listed oldest first
        Consent toHealthOnly = as(TREATMENT).createConsent(create(parent, consent().clearRecipients()
                .addRecipients(Recipient.newBuilder().setAgency("leeds-nhs"))));
        // the recording agency: both, whoever of its staff asks
        assertThat(as(TREATMENT_2).listConsents(list(parent)).getConsentsList())
                .containsExactly(toHousingAndProbation, toHealthOnly);
        // a named recipient, and a recipient by agency type: only the consent naming them
        assertThat(as(HOUSING).listConsents(list(parent)).getConsentsList()).containsExactly(toHousingAndProbation);
        assertThat(as(PROBATION).listConsents(list(parent)).getConsentsList()).containsExactly(toHousingAndProbation);
        assertThat(as(HEALTH).listConsents(list(parent)).getConsentsList()).containsExactly(toHealthOnly);
        // another treatment service, the police: nothing
        assertThat(as(OTHER_TREATMENT).listConsents(list(parent)).getConsentsList()).isEmpty();
        assertThat(as(POLICE).listConsents(list(parent)).getConsentsList()).isEmpty();
        // the data-protection officer (a platform account with the role): everything
        assertThat(as(DPO).listConsents(list(parent)).getConsentsList()).containsExactly(toHousingAndProbation, toHealthOnly);
    }

    @Test
    void expiryIsComputedWhenRead() {
        String parent = person();
        Consent created = as(TREATMENT).createConsent(create(parent,
                consent().setValidUntil(at(CLOCK.instant().plus(Duration.ofHours(1))))));
        assertThat(created.getState()).isEqualTo(ConsentState.CONSENT_STATE_ACTIVE);
        CLOCK.advance(Duration.ofHours(2));
        Consent read = as(TREATMENT).listConsents(list(parent)).getConsents(0);
        assertThat(read.getState()).isEqualTo(ConsentState.CONSENT_STATE_EXPIRED);
        assertThat(read.toBuilder().setState(ConsentState.CONSENT_STATE_ACTIVE).build()).isEqualTo(created);
        assertThat(element(created.getName(), "consents").getString("state")).isEqualTo("ACTIVE");
    }

    static Stream<Arguments> badConsents() {
        Instant now = CLOCK.instant();
        return Stream.of(
                bad("no recipients", c -> c.clearRecipients(), "consent.recipients"),
                bad("blank agency", c -> c.setRecipients(0, Recipient.newBuilder().setAgency("  ")),
                        "consent.recipients[0].agency"),
                bad("unspecified agency type", c -> c.setRecipients(1,
                        Recipient.newBuilder().setAgencyType(AgencyType.AGENCY_TYPE_UNSPECIFIED)), "consent.recipients[1]"),
                bad("empty recipient", c -> c.addRecipients(Recipient.getDefaultInstance()), "consent.recipients[2]"),
                bad("no categories", c -> c.clearCategories(), "consent.categories"),
                bad("unspecified category", c -> c.setCategories(1, DataCategory.DATA_CATEGORY_UNSPECIFIED),
                        "consent.categories[1]"),
                bad("no purposes", c -> c.clearPurposes(), "consent.purposes"),
                bad("unspecified purpose", c -> c.addPurposes(Purpose.PURPOSE_UNSPECIFIED), "consent.purposes[1]"),
                bad("no method", c -> c.clearMethod(), "consent.method"),
                bad("until before from", c -> c.setValidFrom(at(now.plus(Duration.ofDays(2))))
                        .setValidUntil(at(now.plus(Duration.ofDays(1)))), "consent.valid_until"),
                bad("until already past", c -> c.setValidUntil(at(now.minus(Duration.ofDays(1)))), "consent.valid_until"),
                bad("impossible timestamp", c -> c.setValidFrom(Timestamp.newBuilder().setSeconds(1).setNanos(-5)),
                        "consent.valid_from"),
                bad("long capacity note", c -> c.setCapacityNote("x".repeat(1001)), "consent.capacity_note"),
                bad("recipient agency that does not exist", c -> c.setRecipients(0, Recipient.newBuilder().setAgency("leeds-housingg")),
                        "consent.recipients[0].agency"),
                bad("the platform agency as recipient", c -> c.addRecipients(Recipient.newBuilder().setAgency("bridge-platform")),
                        "consent.recipients[2].agency"),
                bad("unrecognised category", c -> c.addCategoriesValue(99), "consent.categories[2]"));
    }

    private static Arguments bad(String rule, UnaryOperator<Consent.Builder> change, String field) {
        return Arguments.of(rule, change, field);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badConsents")
    void badInputNamesTheFieldAndWritesNothing(String rule, UnaryOperator<Consent.Builder> change, String field) {
        String before = fingerprint();
        assertThatThrownBy(() -> as(TREATMENT).createConsent(create(person(), change.apply(consent()))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(fields(e)).containsExactly(field);
                });
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String before = fingerprint();
        assertThatThrownBy(() -> as(TREATMENT).createConsent(create("persons/x",
                consent().clearRecipients().setCategories(0, DataCategory.DATA_CATEGORY_UNSPECIFIED).clearMethod())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(fields(e))
                        .containsExactly("parent", "consent.recipients", "consent.categories[0]", "consent.method"));
        assertThatThrownBy(() -> as(TREATMENT).createConsent(CreateConsentRequest.newBuilder().setParent(person()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(fields(e)).containsExactly("consent"));
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void badListRequestsNameTheField() {
        assertThatThrownBy(() -> as(TREATMENT).listConsents(list("people/not-an-id")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(fields(e)).containsExactly("parent"));
        assertThatThrownBy(() -> as(TREATMENT).listConsents(list(person()).toBuilder().setPageSize(-1).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(fields(e)).containsExactly("page_size"));
        assertThatThrownBy(() -> as(TREATMENT).listConsents(list(person()).toBuilder().setPageToken("garbage!").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(fields(e)).containsExactly("page_token"));
    }

    @Test
    void pagesThroughInAStableOrderWithoutRepeats() {
        String parent = person();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(as(TREATMENT).createConsent(create(parent, consent())).getName());
            if (i % 2 == 1) {
                CLOCK.advance(Duration.ofMillis(1)); // some share a creation time: id breaks the tie
            }
        }
        List<String> paged = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListConsentsResponse page = as(TREATMENT).listConsents(list(parent).toBuilder().setPageSize(2).setPageToken(token).build());
            assertThat(page.getConsentsCount()).isLessThanOrEqualTo(2);
            page.getConsentsList().forEach(c -> paged.add(c.getName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        List<String> whole = as(TREATMENT).listConsents(list(parent)).getConsentsList().stream().map(Consent::getName).toList();
        assertThat(paged).isEqualTo(whole);
        List<Consent> all = as(TREATMENT).listConsents(list(parent)).getConsentsList();
        for (int i = 1; i < all.size(); i++) {
            Consent a = all.get(i - 1);
            Consent b = all.get(i);
            int byTime = Long.compare(ProtoMapping.instant(a.getCreateTime()).toEpochMilli(),
                    ProtoMapping.instant(b.getCreateTime()).toEpochMilli());
            assertThat(byTime < 0 || (byTime == 0 && a.getName().compareTo(b.getName()) < 0)).isTrue();
        }
        // a token from one person's list is refused on another's
        String token1 = as(TREATMENT).listConsents(list(parent).toBuilder().setPageSize(1).build()).getNextPageToken();
        assertThatThrownBy(() -> as(TREATMENT).listConsents(list(person()).toBuilder().setPageToken(token1).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(fields(e)).containsExactly("page_token"));
    }

    @Test
    void refusesCallsWithoutTokenOrWithoutAgency() {
        var noToken = anonymous();
        assertThatThrownBy(() -> noToken.listConsents(list(person())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> as("not-a-token").createConsent(create(person(), consent())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> as(TestTokens.tokenWithoutAgency("someone")).createConsent(create(person(), consent())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void platformOperatorsSeeNoPersonalData() {
        String before = fingerprint();
        assertThatThrownBy(() -> as(PLATFORM).createConsent(create(person(), consent())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> as(PLATFORM).listConsents(list(person())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        // the DPO's role opens oversight, not recording: their agency is the platform
        assertCode(Status.Code.PERMISSION_DENIED, () -> as(DPO).createConsent(create(person(), consent())));
        assertThat(fingerprint()).isEqualTo(before);
    }
}

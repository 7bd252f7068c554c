package bridge.gateway.record;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.gateway.record.SharedRecordComposer.Part;
import bridge.proto.benefits.v1.ListClaimsResponse;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.consent.v1.ListConsentsResponse;
import bridge.proto.housing.v1.HousingSituation;
import bridge.proto.housing.v1.ListHousingSituationsResponse;
import bridge.proto.people.v1.Person;
import bridge.proto.record.v1.SharedRecord;
import bridge.proto.record.v1.SharedRecordPart;
import bridge.proto.record.v1.SharedRecordPart.Source;
import bridge.proto.record.v1.SharedRecordPart.State;
import bridge.proto.referrals.v1.ListReferralsResponse;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The composer's pure parts: names, deadlines, part states and the assembly of the record. */
class SharedRecordComposerTest {

    @Test
    void theNameIsTheSharedRecordSingletonOfAPerson() {
        assertThat(SharedRecordComposer.personId("people/abc/sharedRecord")).isEqualTo("abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "people/abc", "people//sharedRecord", "people/abc/sharedRecords",
            "persons/abc/sharedRecord", "people/a b/sharedRecord", "people/abc/sharedRecord/x", "people/a\nb/sharedRecord"})
    void anythingElseIsRefused(String name) {
        assertThat(SharedRecordComposer.personId(name)).isNull();
        assertThat(SharedRecordComposer.invalidName().getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void thePartDeadlineNeverOutlivesTheCallersDeadline() {
        Duration configured = Duration.ofSeconds(2);
        assertThat(SharedRecordComposer.partDeadline(configured, null)).isEqualTo(configured);
        assertThat(SharedRecordComposer.partDeadline(configured, Deadline.after(5, TimeUnit.SECONDS))).isEqualTo(configured);
        Duration cut = SharedRecordComposer.partDeadline(configured, Deadline.after(1, TimeUnit.SECONDS));
        assertThat(cut).isLessThanOrEqualTo(Duration.ofMillis(900)).isGreaterThan(Duration.ofMillis(500));
        assertThat(SharedRecordComposer.partDeadline(configured, Deadline.after(-1, TimeUnit.SECONDS)))
                .isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void notFoundAndRefusalsAreNotVisibleEverythingElseUnavailable() {
        for (Status.Code c : new Status.Code[] {Status.Code.NOT_FOUND, Status.Code.PERMISSION_DENIED,
                Status.Code.UNAUTHENTICATED}) {
            assertThat(SharedRecordComposer.stateOf(Status.fromCode(c).asRuntimeException())).isEqualTo(State.STATE_NOT_VISIBLE);
        }
        for (Status.Code c : new Status.Code[] {Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
                Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.CANCELLED, Status.Code.INVALID_ARGUMENT}) {
            assertThat(SharedRecordComposer.stateOf(Status.fromCode(c).asRuntimeException())).isEqualTo(State.STATE_UNAVAILABLE);
        }
        assertThat(SharedRecordComposer.stateOf(new IllegalStateException())).isEqualTo(State.STATE_UNAVAILABLE);
    }

    @Test
    void assemblesPartsInSourceOrderAndMergesWithheldCategories() {
        Person person = Person.newBuilder().setName("people/p1")
                .addWithheldCategories(DataCategory.DATA_CATEGORY_RISK)
                .addWithheldCategories(DataCategory.DATA_CATEGORY_CONTACT).build();
        var housing = new Part<>(Source.SOURCE_HOUSING_LIAISON, State.STATE_OK, ListHousingSituationsResponse.newBuilder()
                .addHousingSituations(HousingSituation.newBuilder().setName("people/p1/housingSituations/h1"))
                .addWithheldCategories(DataCategory.DATA_CATEGORY_HOUSING)
                .addWithheldCategories(DataCategory.DATA_CATEGORY_UNSPECIFIED).build());
        var claims = new Part<ListClaimsResponse>(Source.SOURCE_BENEFITS_LIAISON, State.STATE_UNAVAILABLE, null);
        var referrals = new Part<>(Source.SOURCE_REFERRALS, State.STATE_OK, ListReferralsResponse.newBuilder()
                .addWithheldCategories(DataCategory.DATA_CATEGORY_CONTACT).setNextPageToken("more").build());
        var consents = new Part<ListConsentsResponse>(Source.SOURCE_CONSENT, State.STATE_NOT_VISIBLE, null);

        SharedRecord record = SharedRecordComposer.assemble("p1", person, housing, claims, referrals, consents);

        assertThat(record.getName()).isEqualTo("people/p1/sharedRecord");
        assertThat(record.getPerson()).isEqualTo(person);
        assertThat(record.getHousingSituationsCount()).isEqualTo(1);
        assertThat(record.getClaimsList()).isEmpty();
        assertThat(record.getWithheldCategoriesList()).containsExactly(DataCategory.DATA_CATEGORY_CONTACT,
                DataCategory.DATA_CATEGORY_HOUSING, DataCategory.DATA_CATEGORY_RISK);
        assertThat(record.getPartsList()).containsExactly(
                part(Source.SOURCE_PEOPLE_DIRECTORY, State.STATE_OK, false),
                part(Source.SOURCE_HOUSING_LIAISON, State.STATE_OK, false),
                part(Source.SOURCE_BENEFITS_LIAISON, State.STATE_UNAVAILABLE, false),
                part(Source.SOURCE_REFERRALS, State.STATE_OK, true),
                part(Source.SOURCE_CONSENT, State.STATE_NOT_VISIBLE, false));
    }

    private static SharedRecordPart part(Source source, State state, boolean truncated) {
        return SharedRecordPart.newBuilder().setSource(source).setState(state).setTruncated(truncated).build();
    }
}

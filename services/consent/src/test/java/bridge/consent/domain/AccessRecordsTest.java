package bridge.consent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AccessRecordsTest {

    final Fakes.Consents consentStore = new Fakes.Consents();
    final Fakes.LegalBases legalBasisStore = new Fakes.LegalBases();
    final Fakes.Audit audit = new Fakes.Audit();
    final Fakes.Inputs inputs = new Fakes.Inputs(consentStore, legalBasisStore);
    final Clock clock = Clock.fixed(ConsentRulesTest.NOW, ZoneOffset.UTC);
    final AtomicInteger ids = new AtomicInteger();
    final Consents consents = new Consents(consentStore, Fakes.AGENCIES, clock, () -> "c" + ids.incrementAndGet());
    final Decisions decisions = new Decisions(inputs, audit, clock);
    final AccessRecords records = new AccessRecords(audit, inputs);

    static final Caller HOUSING = new Caller("ho", "leeds-housing", AgencyType.HOUSING, Set.of());
    static final Caller OPERATOR = new Caller("ops", "bridge-platform", AgencyType.PLATFORM, Set.of(Roles.PLATFORM_OPERATOR));

    @Test
    void pageSizeIsCappedAt100AndPagesGoNewestFirst() {
        consents.record(ConsentsTest.TREATMENT, "p", ConsentRulesTest.valid(), "");
        for (int i = 0; i < 150; i++) {
            decisions.decide(HOUSING, "p", DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, "r" + i, new Violations());
        }
        decisions.decide(HOUSING, "someone-else", DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, "x", new Violations());
        AccessRecordPage first = records.list(ConsentsTest.TREATMENT, "p", 1000, "", new Violations());
        assertThat(first.entries()).hasSize(100);
        assertThat(first.entries().getFirst().sequence()).isEqualTo(150);
        AccessRecordPage second = records.list(ConsentsTest.TREATMENT, "p", 1000, first.nextPageToken(), new Violations());
        assertThat(second.entries()).hasSize(50);
        assertThat(second.entries().getLast().sequence()).isEqualTo(1);
        assertThat(second.nextPageToken()).isEmpty();
        assertThat(records.list(ConsentsTest.DPO, "p", 0, "", new Violations()).entries()).hasSize(20);
    }

    @Test
    void othersAreToldNotFoundAndThePlatformIsRefused() {
        consents.record(ConsentsTest.TREATMENT, "p", ConsentRulesTest.valid(), "");
        assertThatThrownBy(() -> records.list(HOUSING, "p", 0, "", new Violations())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> records.list(HOUSING, "nobody", 0, "", new Violations())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> records.list(ConsentsTest.PLATFORM, "p", 0, "", new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(records.list(ConsentsTest.DPO, "nobody", 0, "", new Violations()).entries()).isEmpty();
    }

    @Test
    void onlyTheDpoAndOperatorsVerify() {
        assertThat(records.verify(ConsentsTest.DPO).intact()).isTrue();
        assertThat(records.verify(OPERATOR).intact()).isTrue();
        Caller platformWithoutRole = new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of());
        for (Caller c : List.of(HOUSING, platformWithoutRole)) {
            assertThatThrownBy(() -> records.verify(c)).isInstanceOf(PermissionDeniedException.class);
        }
    }
}

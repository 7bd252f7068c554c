package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.ConsentMethod;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every contract enum value has a domain counterpart and maps back to itself (guards contract drift). */
class ConsentMapperTest {

    @Test
    void everyCategoryPurposeAndMethodRoundTrips() {
        Arrays.stream(DataCategory.values())
                .filter(c -> c != DataCategory.DATA_CATEGORY_UNSPECIFIED && c != DataCategory.UNRECOGNIZED)
                .forEach(c -> assertThat(ConsentMapper.category(ConsentMapper.category(c))).isEqualTo(c));
        Arrays.stream(Purpose.values())
                .filter(p -> p != Purpose.PURPOSE_UNSPECIFIED && p != Purpose.UNRECOGNIZED)
                .forEach(p -> assertThat(ConsentMapper.purpose(ConsentMapper.purpose(p))).isEqualTo(p));
        Arrays.stream(ConsentMethod.values())
                .filter(m -> m != ConsentMethod.CONSENT_METHOD_UNSPECIFIED && m != ConsentMethod.UNRECOGNIZED)
                .forEach(m -> assertThat(ConsentMapper.method(m)).isNotNull());
        Arrays.stream(bridge.proto.consent.v1.LegalBasisType.values())
                .filter(t -> t != bridge.proto.consent.v1.LegalBasisType.LEGAL_BASIS_TYPE_UNSPECIFIED
                        && t != bridge.proto.consent.v1.LegalBasisType.UNRECOGNIZED)
                .forEach(t -> assertThat(ConsentMapper.legalBasisType(t)).isNotNull());
        Arrays.stream(bridge.consent.domain.ConsentState.values())
                .forEach(s -> assertThat(ConsentMapper.state(s).name()).endsWith(s.name()));
        Arrays.stream(bridge.consent.domain.ReviewState.values())
                .forEach(s -> assertThat(ConsentMapper.reviewState(s).name()).endsWith(s.name()));
        assertThat(ConsentMapper.outcome(bridge.proto.consent.v1.ReviewOutcome.REVIEW_OUTCOME_UNSPECIFIED)).isNull();
        assertThat(ConsentMapper.legalBasisType(bridge.proto.consent.v1.LegalBasisType.LEGAL_BASIS_TYPE_UNSPECIFIED)).isNull();
        assertThat(ConsentMapper.category(DataCategory.UNRECOGNIZED)).isNull();
        assertThat(ConsentMapper.category(DataCategory.DATA_CATEGORY_UNSPECIFIED)).isNull();
        assertThat(ConsentMapper.purpose(Purpose.PURPOSE_UNSPECIFIED)).isNull();
        assertThat(ConsentMapper.method(ConsentMethod.CONSENT_METHOD_UNSPECIFIED)).isNull();
    }
}

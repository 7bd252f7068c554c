package bridge.benefits.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.benefits.domain.ClaimStatus;
import bridge.proto.benefits.v1.Benefit;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every contract enum value has a domain counterpart and maps back to itself (guards contract drift). */
class ClaimMapperTest {

    @Test
    void everyBenefitAndStatusMaps() {
        Arrays.stream(Benefit.values()).filter(b -> b != Benefit.BENEFIT_UNSPECIFIED && b != Benefit.UNRECOGNIZED)
                .forEach(b -> assertThat(ClaimMapper.benefit(ClaimMapper.benefit(b))).isEqualTo(b));
        assertThat(ClaimMapper.benefit(Benefit.BENEFIT_UNSPECIFIED)).isNull();
        assertThat(Arrays.stream(ClaimStatus.values()).map(ClaimMapper::status).distinct())
                .hasSize(bridge.proto.benefits.v1.ClaimStatus.values().length - 2); // minus UNSPECIFIED, UNRECOGNIZED
    }
}

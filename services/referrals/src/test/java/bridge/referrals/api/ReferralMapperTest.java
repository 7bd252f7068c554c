package bridge.referrals.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.referrals.v1.Pathway;
import bridge.referrals.domain.ReferralStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every contract enum value has a domain counterpart and maps back to itself (guards contract drift). */
class ReferralMapperTest {

    @Test
    void everyPathwayAndStatusMaps() {
        Arrays.stream(Pathway.values()).filter(p -> p != Pathway.PATHWAY_UNSPECIFIED && p != Pathway.UNRECOGNIZED)
                .forEach(p -> assertThat(ReferralMapper.pathway(ReferralMapper.pathway(p))).isEqualTo(p));
        assertThat(ReferralMapper.pathway(Pathway.PATHWAY_UNSPECIFIED)).isNull();
        assertThat(Arrays.stream(ReferralStatus.values()).map(ReferralMapper::status).distinct())
                .hasSize(bridge.proto.referrals.v1.ReferralStatus.values().length - 2); // minus UNSPECIFIED, UNRECOGNIZED
    }
}

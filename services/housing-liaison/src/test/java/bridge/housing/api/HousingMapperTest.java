package bridge.housing.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.housing.v1.HousingStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every contract enum value has a domain counterpart and maps back to itself (guards contract drift). */
class HousingMapperTest {

    @Test
    void everyStatusRoundTrips() {
        Arrays.stream(HousingStatus.values())
                .filter(s -> s != HousingStatus.HOUSING_STATUS_UNSPECIFIED && s != HousingStatus.UNRECOGNIZED)
                .forEach(s -> assertThat(HousingMapper.status(HousingMapper.status(s))).isEqualTo(s));
        assertThat(HousingMapper.status(HousingStatus.HOUSING_STATUS_UNSPECIFIED)).isNull();
    }
}

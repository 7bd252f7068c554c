package bridge.referrals;

import bridge.support.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void roomsKeepTheirBoundaries() {
        ArchitectureRules.check("bridge.referrals");
    }
}

package bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void aRateTargetSaysByHowMuchItWasMetOrMissed() {
        assertThat(Report.atLeast(1800, 1500)).isEqualTo("met (+20%)");
        assertThat(Report.atLeast(1200, 1500)).isEqualTo("**missed** by 20% (300 short)");
    }

    @Test
    void aLoadAverageAboveTheCoreCountMarksTheRunContended() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(Report.contended((cores + 1.5) + " / 3.00 / 2.00")).isTrue();
        assertThat(Report.contended("0.00 / 0.00 / 0.00")).isFalse();
        assertThat(Report.contended("unknown")).isFalse();
    }

    @Test
    void aLimitTargetSaysByHowMuchItWasMetOrMissed() {
        assertThat(Report.atMost(20, 25)).isEqualTo("met (80% of the limit)");
        assertThat(Report.atMost(30, 25)).isEqualTo("**missed** by 20% (5.00 over)");
    }
}

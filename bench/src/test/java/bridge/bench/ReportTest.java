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
    void otherProcessesCpuDuringTheRunOrElseABusyMachineBeforeTheBuildMarkTheRunContended() {
        int cores = Runtime.getRuntime().availableProcessors();
        ProcessSampler.Usage quiet = new ProcessSampler.Usage(3, 0, 0);
        ProcessSampler.Usage busy = new ProcessSampler.Usage(80, 0, 0);
        assertThat(Report.contended((cores + 1.5) + " / 3.00 / 2.00", null)).isTrue();
        // a busy minute before the build that did not last into the scenarios is not contention
        assertThat(Report.contended((cores + 1.5) + " / 3.00 / 2.00", quiet)).isFalse();
        assertThat(Report.contended("0.10 / 0.20 / 0.30", busy)).isTrue();
        assertThat(Report.contended("0.10 / 0.20 / 0.30", quiet)).isFalse();
        // the benchmark's own load (high load average during the run) is not contention
        assertThat(Report.contended("0.10 / 0.20 / 0.30", null)).isFalse();
        assertThat(Report.contended("unknown", quiet)).isFalse();
    }

    @Test
    void theLoadAverageIsReadFromProcLoadavgText() {
        assertThat(Report.loadAverageOf("13.35 9.10 4.02 5/1234 99999\n")).isEqualTo("13.35 / 9.10 / 4.02");
        assertThat(Report.loadAverageOf("")).isEqualTo("unknown");
    }

    @Test
    void aLimitTargetSaysByHowMuchItWasMetOrMissed() {
        assertThat(Report.atMost(20, 25)).isEqualTo("met (80% of the limit)");
        assertThat(Report.atMost(30, 25)).isEqualTo("**missed** by 20% (5.00 over)");
    }
}

package bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadToolsTest {

    @Test
    void readsTheFiguresRequestsLuaPrintsAndCountsEveryKindOfError() {
        String out = """
                Running 10s test @ http://127.0.0.1:41234
                  2 threads and 32 connections
                BENCH requests=20000 duration_us=10000000 connect=1 read=2 write=3 status=4 timeout=5 p50_us=1500 p99_us=12000 p999_us=30500 max_us=41000
                """;
        Measurement m = LoadTools.parseWrk("S1", "closed loop", out);
        assertThat(m.ok()).isTrue();
        assertThat(m.requests()).isEqualTo(20000);
        assertThat(m.perSecond()).isEqualTo(2000.0);
        assertThat(m.p50()).isEqualTo(1.5);
        assertThat(m.p99()).isEqualTo(12.0);
        assertThat(m.p999()).isEqualTo(30.5);
        assertThat(m.errors()).isEqualTo(15);
    }

    @Test
    void aRunWithoutTheResultLineIsAFailureNotZeroes() {
        Measurement m = LoadTools.parseWrk("S1", "closed loop", "unable to connect to 127.0.0.1:1 Connection refused\n");
        assertThat(m.ok()).isFalse();
        assertThat(m.failure()).contains("Connection refused");
    }
}

package bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformClientTest {

    @Test
    void sumsTheGatewaysAnswersByStatusOverEveryRouteAndMethod() {
        String prometheus = """
                # HELP http_server_requests_seconds
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/v1/**",le="0.001"} 3
                http_server_requests_seconds_count{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/v1/**"} 1200
                http_server_requests_seconds_count{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/v1/**"} 34
                http_server_requests_seconds_count{error="none",exception="none",method="GET",outcome="SERVER_ERROR",status="503",uri="/v1/**"} 7.0
                http_server_requests_seconds_sum{error="none",exception="none",method="GET",outcome="SUCCESS",status="200",uri="/v1/**"} 12.5
                """;
        assertThat(PlatformClient.answersByStatus(prometheus)).containsExactly(
                java.util.Map.entry("200", 1234L), java.util.Map.entry("503", 7L));
    }

    @Test
    void aStatusCountedOnlyAfterTheFirstScrapeIsAllNew() {
        assertThat(BenchDriver.difference(java.util.Map.of("200", 10L), java.util.Map.of("200", 15L, "503", 4L)))
                .containsExactly(java.util.Map.entry("200", 5L), java.util.Map.entry("503", 4L));
    }
}

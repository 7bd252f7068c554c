package bridge.bench.gatling;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * S1 open loop: shared-record reads arriving at a constant rate ({@code bench.rate}/s), whether or
 * not earlier ones have been answered, so a slow answer cannot hold back the next request (no
 * coordinated omission). Connections are pooled and shared, as a partner's client would.
 */
public class SharedRecordOpenLoop extends Simulation {

    {
        HttpProtocolBuilder protocol = http.baseUrl(BenchData.prop("gateway")).shareConnections()
                .acceptHeader("application/json").disableCaching();
        ScenarioBuilder read = scenario("S1 shared record, open loop")
                .feed(listFeeder(BenchData.requests()).circular())
                .exec(http("sharedRecord").get("#{path}").header("Authorization", "Bearer #{token}")
                        .check(status().is(200)));
        setUp(read.injectOpen(constantUsersPerSec(BenchData.intProp("rate"))
                .during(Duration.ofSeconds(BenchData.intProp("seconds"))))).protocols(protocol);
    }
}

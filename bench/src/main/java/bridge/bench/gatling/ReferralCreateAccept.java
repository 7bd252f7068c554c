package bridge.bench.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * S3: a prison sends a custody-release referral (create, with an idempotency key and the pathway's
 * data) and the treatment service accepts it with the etag it was given — the FHIR Task happy path,
 * through the gateway with real tokens. Every person in {@code bench.peopleFile} was seeded with a
 * consent to share referrals with the treatment service for purpose REFERRAL, without which the
 * accept is refused (REFERRAL_SHARING_NOT_ALLOWED); tokens and seeding happen before the run.
 * Closed model: {@code bench.users} concurrent users, each doing create then accept, for
 * {@code bench.seconds}: the create rate it reaches is the saturation rate.
 */
public class ReferralCreateAccept extends Simulation {

    {
        String sender = BenchData.prop("senderToken");
        String receiver = BenchData.prop("receiverToken");
        // the same date for the whole run: within the 12 weeks before release when planning is open
        LocalDate release = CustodyReleaseReferral.releaseDate();
        List<Map<String, Object>> people = BenchData.lines(BenchData.prop("peopleFile")).stream()
                .map(id -> Map.<String, Object>of("person", "people/" + id)).toList();
        HttpProtocolBuilder protocol = http.baseUrl(BenchData.prop("gateway")).shareConnections()
                .acceptHeader("application/json").contentTypeHeader("application/json").disableCaching();
        ScenarioBuilder refer = scenario("S3 referral create + accept")
                .feed(listFeeder(people).random())
                .exec(http("create").post("/v1/referrals")
                        .header("Authorization", "Bearer " + sender)
                        .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                        .body(StringBody(session -> CustodyReleaseReferral.json(session.getString("person"), release,
                                "release in six weeks (bench)")))
                        .check(status().is(200), jsonPath("$.name").saveAs("referral"), jsonPath("$.etag").saveAs("etag")))
                // nothing to accept when the create failed (it is already counted as a KO)
                .exitHereIfFailed()
                .exec(http("accept").post("/v1/#{referral}:accept")
                        .header("Authorization", "Bearer " + receiver)
                        // etags are quoted strings (W/"2"): escape them into the JSON body
                        .body(StringBody(session -> "{\"etag\":\"" + session.getString("etag").replace("\\", "\\\\")
                                .replace("\"", "\\\"") + "\"}"))
                        .check(status().is(200), jsonPath("$.status").is("REFERRAL_STATUS_ACCEPTED")));
        setUp(refer.injectClosed(constantConcurrentUsers(BenchData.intProp("users"))
                .during(Duration.ofSeconds(BenchData.intProp("seconds"))))).protocols(protocol);
    }
}

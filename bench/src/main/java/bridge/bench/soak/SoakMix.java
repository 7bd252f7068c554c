package bridge.bench.soak;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import bridge.bench.gatling.CustodyReleaseReferral;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The soak's mixed traffic, open loop: every kind arrives at its own constant rate whether or not
 * earlier requests were answered (no coordinated omission), {@code bench.rate} requests/s in all for
 * {@code bench.seconds}. Reads are 70% (person 20, shared record 30, a person's referral list 20),
 * writes 30%: a referral created by the prison and accepted by the treatment service (15%, two
 * requests each), a consent recorded and withdrawn again (15%, two requests each).
 */
public class SoakMix extends Simulation {

    static String prop(String name) {
        String v = System.getProperty("bench." + name);
        if (v == null) {
            throw new IllegalStateException("system property bench." + name + " is not set (run through bin/soak)");
        }
        return v;
    }

    static OpenInjectionStep arrivals(double share) {
        double rate = Double.parseDouble(prop("rate")) * share;
        return constantUsersPerSec(rate).during(Duration.ofSeconds(Long.parseLong(prop("seconds"))));
    }

    static String escaped(String etag) {
        return etag.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    {
        String prison = prop("prisonToken");
        String treatment = prop("treatmentToken");
        List<Map<String, Object>> people;
        try {
            people = Files.readAllLines(Path.of(prop("peopleFile"))).stream().filter(s -> !s.isBlank())
                    .map(id -> Map.<String, Object>of("person", "people/" + id)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalDate release = CustodyReleaseReferral.releaseDate();
        HttpProtocolBuilder protocol = http.baseUrl(prop("gateway")).shareConnections().acceptHeader("application/json")
                .contentTypeHeader("application/json").disableCaching();

        ScenarioBuilder person = scenario("person").feed(listFeeder(people).random())
                .exec(http("read person").get("/v1/#{person}").header("Authorization", "Bearer " + prison)
                        .check(status().is(200)));
        ScenarioBuilder shared = scenario("shared record").feed(listFeeder(people).random())
                .exec(http("read shared record").get("/v1/#{person}/sharedRecord").header("Authorization", "Bearer " + treatment)
                        .check(status().is(200)));
        ScenarioBuilder list = scenario("referral list").feed(listFeeder(people).random())
                .exec(http("list referrals").get("/v1/#{person}/referrals?pageSize=10")
                        .header("Authorization", "Bearer " + prison).check(status().is(200)));
        ScenarioBuilder referral = scenario("referral").feed(listFeeder(people).random())
                .exec(http("create referral").post("/v1/referrals").header("Authorization", "Bearer " + prison)
                        .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                        .body(StringBody(session -> CustodyReleaseReferral.json(session.getString("person"), release,
                                "release in six weeks (soak)")))
                        .check(status().is(200), jsonPath("$.name").saveAs("referral"), jsonPath("$.etag").saveAs("etag")))
                .exitHereIfFailed()
                .exec(http("accept referral").post("/v1/#{referral}:accept").header("Authorization", "Bearer " + treatment)
                        .body(StringBody(session -> "{\"etag\":\"" + escaped(session.getString("etag")) + "\"}"))
                        .check(status().is(200)));
        ScenarioBuilder consent = scenario("consent").feed(listFeeder(people).random())
                .exec(http("record consent").post("/v1/#{person}/consents").header("Authorization", "Bearer " + prison)
                        .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                        .body(StringBody("""
                                {"recipients":[{"agency":"change-grow-live"}],"categories":["DATA_CATEGORY_OUTCOMES"],
                                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_VERBAL"}"""))
                        .check(status().is(200), jsonPath("$.name").saveAs("consent")))
                .exitHereIfFailed()
                .exec(http("withdraw consent").post("/v1/#{consent}:withdraw").header("Authorization", "Bearer " + prison)
                        .body(StringBody("{\"reason\":\"soak: changed their mind\"}")).check(status().is(200)));

        setUp(person.injectOpen(arrivals(0.20)), shared.injectOpen(arrivals(0.30)), list.injectOpen(arrivals(0.20)),
                referral.injectOpen(arrivals(0.075)), consent.injectOpen(arrivals(0.075))).protocols(protocol);
    }
}

package bridge.e2e;

import static bridge.e2e.CustodyReleasePathwayTest.CUSTODY;
import static bridge.e2e.CustodyReleasePathwayTest.UK;
import static bridge.e2e.CustodyReleasePathwayTest.act;
import static bridge.e2e.CustodyReleasePathwayTest.clock;
import static bridge.e2e.CustodyReleasePathwayTest.create;
import static bridge.e2e.CustodyReleasePathwayTest.etagBody;
import static bridge.e2e.CustodyReleasePathwayTest.person;
import static bridge.e2e.CustodyReleasePathwayTest.read;
import static bridge.e2e.CustodyReleasePathwayTest.referral;
import static bridge.e2e.Drills.assertOutageProblem;
import static bridge.e2e.Drills.retryUntilOk;
import static bridge.e2e.Platform.request;
import static bridge.e2e.Platform.send;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import bridge.local.LocalPlatform;
import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failure drill (issue #9): a service is killed in the middle of the custody-release walk-through
 * (prison → community treatment), through the gateway with real Keycloak tokens, and started again
 * on the same port with the same data. Meanwhile the gateway answers 503 problem+json that names no
 * host, port or exception; afterwards the clients retry with the same idempotency keys and the
 * walk-through completes. Read back: no referral (or consent) lost, none duplicated.
 */
class ServiceKillDrillTest {

    /** Long enough for a restart on the loaded 2-core machine, plus the gateway's breaker closing. */
    static final Duration RECOVERY = Duration.ofSeconds(90);

    @AfterEach
    void everythingRunsAgain() {
        LocalPlatform platform = Platform.get();
        for (String s : List.of("referrals", "consent")) {
            if (platform.service(s) == null) {
                platform.startService(s);
            }
        }
        clock().reset();
    }

    /** One create as the client sent it, and what it got back. */
    record Attempt(String key, HttpResponse<String> response, String name) {
        int status() {
            return response.statusCode();
        }
    }

    @Test
    void referralsKilledMidWalkThroughLosesAndDuplicatesNothing() throws Exception {
        LocalPlatform platform = Platform.get();
        String prison = user("hmp-leeds-worker");
        String treatment = user("forward-leeds-worker");
        String person = person(prison, "KillReferrals");
        CustodyReleasePathwayTest.consentToTreatment(prison, person);
        String busyPerson = person(prison, "KillReferralsBusy");
        LocalDate release = LocalDate.now(UK).plusWeeks(6);
        String body = referral(person, release, "PATHWAY_CUSTODY_RELEASE_TREATMENT", CUSTODY);
        String busyBody = referral(busyPerson, release, "PATHWAY_CUSTODY_RELEASE_TREATMENT", CUSTODY);
        String run = "kill-ref-" + System.nanoTime();

        // the walk-through's first step: the prison refers
        String key = run + "-walk";
        HttpResponse<String> sent = create(prison, body, key);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        String name = JsonPath.read(sent.body(), "$.name");

        // other prisons keep referring all the time, each create with its own key
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread busy = new Thread(() -> {
            for (int n = 0; running.get() && n < 80; n++) {
                String k = run + "-busy-" + n;
                HttpResponse<String> r = create(prison, busyBody, k);
                attempts.add(new Attempt(k, r, r.statusCode() == 200 ? JsonPath.read(r.body(), "$.name") : null));
                sleep(100);
            }
        }, "drill-busy-prison");
        busy.start();
        Drills.await(() -> attempts.stream().filter(a -> a.status() == 200).count() >= 5, Duration.ofSeconds(60),
                "referrals flowing before the kill");

        long downAt = System.nanoTime();
        platform.stopService("referrals");
        // while it is down: every step of the walk-through is a clean 503
        String key2 = run + "-walk-2";
        HttpResponse<String> whileDown = create(prison, body, key2);
        assertOutageProblem(whileDown, 503);
        assertOutageProblem(Platform.get("/v1/" + name, treatment), 503);
        assertOutageProblem(act(treatment, name, "accept", "{\"etag\":\"W/\\\"1\\\"\"}"), 503);
        assertOutageProblem(Platform.get("/v1/" + person + "/referrals", prison), 503);
        Drills.await(() -> attempts.stream().anyMatch(a -> a.status() != 200), Duration.ofSeconds(30),
                "the busy prison sees the outage");

        platform.startService("referrals");
        long upAt = System.nanoTime();
        // the same requests again, with the same keys, until the gateway reaches the service again
        HttpResponse<String> second = retryUntilOk(() -> create(prison, body, key2), RECOVERY);
        long recoveredAt = System.nanoTime();
        String name2 = JsonPath.read(second.body(), "$.name");
        HttpResponse<String> firstAgain = create(prison, body, key);
        assertThat((String) JsonPath.read(firstAgain.body(), "$.name")).as("the first create, retried").isEqualTo(name);
        Drills.await(() -> attempts.stream().filter(a -> a.status() == 200).count() >= 15, Duration.ofSeconds(60),
                "referrals flowing after the restart");
        running.set(false);
        busy.join(60_000);

        // the busy prison retries whatever failed, with the same key
        Map<String, String> answered = new HashMap<>();
        List<Attempt> failed = new ArrayList<>();
        for (Attempt a : attempts) {
            if (a.status() == 200) {
                answered.put(a.key(), a.name());
            } else {
                failed.add(a);
            }
        }
        for (Attempt a : failed) {
            assertOutageProblem(a.response(), 503);
            HttpResponse<String> r = retryUntilOk(() -> create(prison, busyBody, a.key()), RECOVERY);
            answered.put(a.key(), JsonPath.read(r.body(), "$.name"));
        }
        assertThat(failed).as("creates that failed while referrals was down").isNotEmpty();
        assertThat(new HashSet<>(answered.values())).as("one referral per key").hasSize(answered.size());
        assertThat(referralNames(busyPerson, prison)).as("read back: every referral answered, nothing else")
                .containsExactlyInAnyOrderElementsOf(answered.values());
        assertThat(referralNames(person, prison)).as("the walk-through's referrals, once each")
                .containsExactlyInAnyOrder(name, name2);

        // the walk-through completes on the restarted service
        String full = read(name, treatment);
        assertThat(full).contains("methadone");
        HttpResponse<String> accepted = act(treatment, name, "accept", etagBody(full));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        clock().shift(Duration.ofDays(42 + 9).plusHours(6));
        String at = release.plusDays(9).atTime(10, 0).atZone(UK).toInstant().toString();
        HttpResponse<String> attended = act(treatment, name, "recordAppointment", """
                {"etag":"%s","startTime":"%s","outcome":"APPOINTMENT_OUTCOME_ATTENDED"}"""
                .formatted(JsonPath.<String>read(accepted.body(), "$.etag").replace("\"", "\\\""), at));
        assertThat(attended.statusCode()).as(attended.body()).isEqualTo(200);
        assertThat((Boolean) JsonPath.read(read(name, prison), "$.pickedUp")).isTrue();

        System.out.printf("SERVICE KILL DRILL (referrals): %d busy creates, %d failed (all 503 problem+json), "
                        + "restart took %d ms, first success %d ms after it; %d referrals read back, none lost or duplicated%n",
                attempts.size(), failed.size(), (upAt - downAt) / 1_000_000, (recoveredAt - upAt) / 1_000_000,
                answered.size() + 2);
    }

    @Test
    void consentKilledMidWalkThroughFailsClosedAndRecovers() throws Exception {
        LocalPlatform platform = Platform.get();
        String prison = user("hmp-leeds-worker");
        String treatment = user("forward-leeds-worker");
        String person = person(prison, "KillConsent");
        LocalDate release = LocalDate.now(UK).plusWeeks(6);
        HttpResponse<String> sent = create(prison, referral(person, release, "PATHWAY_CUSTODY_RELEASE_TREATMENT", CUSTODY),
                "kill-consent-" + System.nanoTime());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        String name = JsonPath.read(sent.body(), "$.name");
        String consentKey = "kill-consent-record-" + System.nanoTime();

        long downAt = System.nanoTime();
        platform.stopService("consent");
        // the prison records the person's consent just as the consent service dies
        assertOutageProblem(recordConsent(prison, person, consentKey), 503);
        // the policy decision point is down: enforcement points fail closed, the details never leak
        HttpResponse<String> readWhileDown = Platform.get("/v1/" + name, treatment);
        assertThat(readWhileDown.body()).doesNotContain("methadone").doesNotContain("HMP Leeds");
        assertOutageProblem(readWhileDown, 503);
        assertOutageProblem(act(treatment, name, "accept", "{\"etag\":\"W/\\\"1\\\"\"}"), 503);
        assertOutageProblem(Platform.get("/v1/" + person + "/consents", prison), 503);

        platform.startService("consent");
        long upAt = System.nanoTime();
        HttpResponse<String> recorded = retryUntilOk(() -> recordConsent(prison, person, consentKey), RECOVERY);
        long recoveredAt = System.nanoTime();
        String consent = JsonPath.read(recorded.body(), "$.name");
        HttpResponse<String> again = recordConsent(prison, person, consentKey);
        assertThat((String) JsonPath.read(again.body(), "$.name")).as("the same key, the same consent").isEqualTo(consent);
        HttpResponse<String> consents = Platform.get("/v1/" + person + "/consents", prison);
        assertThat(consents.statusCode()).as(consents.body()).isEqualTo(200);
        assertThat((List<String>) JsonPath.read(consents.body(), "$.consents[*].name")).as("one consent, not lost, not doubled")
                .containsExactly(consent);

        // the walk-through completes: the referral service's breaker on the consent service may still
        // be open for a while (503 CONSENT_SERVICE_UNAVAILABLE, "retry later"), so the worker retries
        HttpResponse<String> full = retryUntilOk(() -> Platform.get("/v1/" + name, treatment), RECOVERY);
        assertThat(full.body()).contains("methadone");
        HttpResponse<String> accepted = retryUntilOk(() -> act(treatment, name, "accept", etagBody(full.body())), RECOVERY);
        long acceptedAt = System.nanoTime();
        assertThat((String) JsonPath.read(accepted.body(), "$.status")).isEqualTo("REFERRAL_STATUS_ACCEPTED");
        assertThat((String) JsonPath.read(read(name, prison), "$.status")).isEqualTo("REFERRAL_STATUS_ACCEPTED");
        System.out.printf("SERVICE KILL DRILL (consent): restart took %d ms, consent recorded %d ms after it, "
                        + "the referral accepted %d ms after it%n",
                (upAt - downAt) / 1_000_000, (recoveredAt - upAt) / 1_000_000, (acceptedAt - upAt) / 1_000_000);
    }

    static HttpResponse<String> recordConsent(String token, String person, String key) {
        return send(request("/v1/" + person + "/consents", token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString("""
                        {"recipients":[{"agency":"forward-leeds"}],
                         "categories":["DATA_CATEGORY_REFERRALS","DATA_CATEGORY_SUBSTANCE_USE","DATA_CATEGORY_JUSTICE"],
                         "purposes":["PURPOSE_REFERRAL"],"method":"CONSENT_METHOD_WRITTEN"}""")).build());
    }

    static List<String> referralNames(String person, String token) {
        HttpResponse<String> r = Platform.get("/v1/" + person + "/referrals?pageSize=100", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).as("one page holds them all").doesNotContain("nextPageToken");
        Set<String> distinct = new HashSet<>();
        List<String> names = JsonPath.read(r.body(), "$.referrals[*].name");
        distinct.addAll(names);
        assertThat(distinct).as("no referral listed twice").hasSize(names.size());
        return names;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

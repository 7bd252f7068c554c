package bridge.e2e;

import static bridge.e2e.Platform.integrator;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every REST route of the gateway, taken from its OpenAPI document (generated from the proto
 * descriptors, so it is the route table), visited three ways with real Keycloak tokens:
 * <ol>
 *   <li>bad input — an unknown field (in the body, or as a query parameter where there is no body)
 *   and a malformed resource id in the path — answers 400 application/problem+json naming the
 *   field, never 500, never a stack trace or a host name;</li>
 *   <li>a token of an agency with no consent and no relationship to the records (peer-navigators)
 *   is refused with 403/404 problem+json carrying nothing of the records; routes that only ever
 *   answer about the caller's own things (creates, its own work queues, searches) may answer, but
 *   with nothing of the other agency's records;</li>
 *   <li>no token answers 401.</li>
 * </ol>
 * {@link #SAMPLES} holds one sample request per route, keyed by route; a route in the document
 * without a sample (a new RPC) fails the sweep, as does a sample for a route that is gone.
 * Known gaps are listed in {@link #KNOWN_GAPS} with their reason: the check still runs, and the
 * sweep fails if a known gap is fixed (so the list cannot go stale) or a new one appears.
 */
class RouteSweepTest {

    /** Who the sample request is sent as for the bad-input check: someone allowed to call the route. */
    enum Caller { OWNER, OPERATOR, DPO, COMMISSIONER }

    /**
     * What the unrelated agency gets: DENIED is a 403/404 problem; OWN_SCOPE routes answer about the
     * caller's own things only (a create, its own queue, a search), so any non-5xx answer without the
     * owner's data is right.
     */
    enum Foreign { DENIED, OWN_SCOPE }

    /** A sample request: the body (null for none) and extra query, sent to the route's path with the fixture's ids. */
    record Sample(Caller caller, String body, String query, Foreign foreign) {
    }

    static Sample denied(Caller caller, String body) {
        return new Sample(caller, body, "", Foreign.DENIED);
    }

    static Sample own(String body, String query) {
        return new Sample(Caller.OWNER, body, query, Foreign.OWN_SCOPE);
    }

    static final String OWNER_AGENCY = "hmp-leeds";
    static final String UNRELATED_AGENCY = "peer-navigators";
    /** Well-formed (20 characters of [a-z2-9]) but nobody's: for resources the sweep cannot make through REST. */
    static final String NOBODYS_ID = "sweepnobodysidzzzzz2";
    static final LocalDate RELEASE = LocalDate.now(ZoneId.of("Europe/London")).plusDays(20);
    static final String RELEASE_DATE = "{\"year\":%d,\"month\":%d,\"day\":%d}".formatted(RELEASE.getYear(),
            RELEASE.getMonthValue(), RELEASE.getDayOfMonth());
    static final String REASON = "{\"code\":\"STATUS_REASON_CODE_PERSON_DECLINED\",\"text\":\"sweep\"}";

    /** Words only the owner's records hold: none may reach the unrelated agency. */
    static final List<String> MARKERS = List.of("Sweepmarkerowner", "07700 900777", "485 777 3414", "4857773414",
            "sweep-marker-consent", "sweep-marker-basis", "sweep-marker-housing", "sweep-marker-referral");

    static final Map<String, Sample> SAMPLES = new TreeMap<>();

    static {
        // people directory
        SAMPLES.put("POST /v1/people", own("""
                {"preferredName":{"givenNames":"Una","familyName":"Sweepforeign"},"dateOfBirth":{"year":1990,"month":2,"day":3}}""",
                "confirmNewPerson=true"));
        SAMPLES.put("GET /v1/people/{person}", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/people:lookup", new Sample(Caller.OWNER, null,
                "identifier.type=IDENTIFIER_TYPE_NHS_NUMBER&identifier.value=4857773414", Foreign.DENIED));
        SAMPLES.put("POST /v1/people:search", own("{\"familyName\":\"Sweepmarkerowner\"}", ""));
        SAMPLES.put("POST /v1/people/{person}/careTeam:join", denied(Caller.OWNER, "{\"role\":\"peer navigator\"}"));
        SAMPLES.put("POST /v1/people/{person}/careTeam:leave", denied(Caller.OWNER, "{\"reason\":\"sweep\"}"));
        SAMPLES.put("PATCH /v1/people/{person}/careTeam/{careTeamId}", denied(Caller.OWNER,
                "{\"role\":\"release planner\"}"));
        SAMPLES.put("GET /v1/people/{person}/careTeam", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/duplicateReviews", denied(Caller.DPO, null));
        SAMPLES.put("POST /v1/duplicateReviews/{duplicateReview}:dismiss", denied(Caller.DPO, "{\"reason\":\"sweep\"}"));
        SAMPLES.put("POST /v1/people:merge", denied(Caller.DPO,
                "{\"survivor\":\"people/{person}\",\"merged\":\"people/" + NOBODYS_ID + "\",\"reason\":\"sweep\"}"));
        SAMPLES.put("POST /v1/merges/{merge}:unmerge", denied(Caller.DPO, "{\"reason\":\"sweep\"}"));
        SAMPLES.put("POST /v1/people/{person}:unlink", denied(Caller.DPO,
                "{\"agency\":\"met-police\",\"reason\":\"sweep\",\"requestId\":\"sweep-unlink\"}"));
        // consent
        SAMPLES.put("POST /v1/people/{person}/consents", denied(Caller.OWNER, """
                {"recipients":[{"agency":"leeds-social-care"}],"categories":["DATA_CATEGORY_IDENTITY"],
                 "purposes":["PURPOSE_DIRECT_SUPPORT"],"method":"CONSENT_METHOD_WRITTEN"}"""));
        SAMPLES.put("GET /v1/people/{person}/consents", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/people/{person}/consents/{consent}", denied(Caller.OWNER, null));
        SAMPLES.put("PATCH /v1/people/{person}/consents/{consent}", new Sample(Caller.OWNER,
                "{\"capacityNote\":\"sweep\",\"etag\":\"1\"}", "updateMask=capacityNote", Foreign.DENIED));
        SAMPLES.put("POST /v1/people/{person}/consents/{consent}:withdraw", denied(Caller.OWNER, "{\"reason\":\"sweep\"}"));
        SAMPLES.put("GET /v1/people/{person}/consents/{consent}/versions", denied(Caller.OWNER, null));
        // Break glass: any agency may record a legal basis for sharing without consent, for anyone, at
        // once (audited, reviewed by the data-protection officer, ADR 0004) — so an unrelated agency's
        // record is accepted; this one names another recipient, so it opens nothing to the caller.
        SAMPLES.put("POST /v1/people/{person}/legalBases", own("""
                {"type":"LEGAL_BASIS_TYPE_SERIOUS_IMMINENT_RISK_TO_LIFE","recipientAgency":"leeds-social-care",
                 "categories":["DATA_CATEGORY_IDENTITY"],"purposes":["PURPOSE_RISK_MANAGEMENT"],
                 "justification":"Sweep: a risk to life that needs sharing now.","validUntil":"%s"}"""
                .formatted(Instant.now().plus(2, ChronoUnit.DAYS)), ""));
        SAMPLES.put("GET /v1/people/{person}/legalBases", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/legalBasisReviews", denied(Caller.DPO, null));
        SAMPLES.put("POST /v1/people/{person}/legalBases/{legalBase}:review", denied(Caller.DPO,
                "{\"outcome\":\"REVIEW_OUTCOME_UPHOLD\",\"note\":\"sweep\"}"));
        SAMPLES.put("POST /v1/people/{person}:decide", own(
                "{\"category\":\"DATA_CATEGORY_IDENTITY\",\"purpose\":\"PURPOSE_DIRECT_SUPPORT\"}", ""));
        SAMPLES.put("POST /v1/people/{person}:batchDecide", own(
                "{\"categories\":[\"DATA_CATEGORY_IDENTITY\"],\"purpose\":\"PURPOSE_DIRECT_SUPPORT\"}", ""));
        SAMPLES.put("GET /v1/people/{person}/accessRecords", denied(Caller.OWNER, null));
        SAMPLES.put("POST /v1/auditTrail:verify", denied(Caller.DPO, "{}"));
        // referrals
        SAMPLES.put("POST /v1/referrals", denied(Caller.OWNER, """
                {"person":"people/{person}","pathway":"PATHWAY_PEER_NAVIGATOR","performerAgency":"forward-leeds",
                 "reason":"sweep","peerNavigator":{"personAgreed":true,"supportWanted":"sweep"}}"""));
        SAMPLES.put("GET /v1/referrals/{referral}", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/people/{person}/referrals", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/referrals:overdue", own(null, ""));
        SAMPLES.put("GET /v1/referralMetrics", denied(Caller.COMMISSIONER, null));
        SAMPLES.put("POST /v1/webhookSubscriptions", own(
                "{\"url\":\"http://127.0.0.1:9/sweep-foreign\",\"events\":[\"WEBHOOK_EVENT_CREATED\"]}", ""));
        SAMPLES.put("GET /v1/webhookSubscriptions", own(null, ""));
        SAMPLES.put("DELETE /v1/webhookSubscriptions/{webhookSubscription}", denied(Caller.OWNER, null));
        for (String verb : List.of("acknowledge", "accept", "start", "resume", "complete")) {
            SAMPLES.put("POST /v1/referrals/{referral}:" + verb, denied(Caller.OWNER, "{\"etag\":\"1\"}"));
        }
        for (String verb : List.of("reject", "hold", "cancel", "fail")) {
            SAMPLES.put("POST /v1/referrals/{referral}:" + verb, denied(Caller.OWNER,
                    "{\"etag\":\"1\",\"reason\":" + REASON + "}"));
        }
        SAMPLES.put("POST /v1/referrals/{referral}:recordAppointment", denied(Caller.OWNER,
                "{\"etag\":\"1\",\"startTime\":\"" + Instant.now().plus(3, ChronoUnit.DAYS)
                        + "\",\"outcome\":\"APPOINTMENT_OUTCOME_OFFERED\"}"));
        SAMPLES.put("POST /v1/referrals/{referral}:recordReengagementStep", denied(Caller.OWNER,
                "{\"etag\":\"1\",\"kind\":\"REENGAGEMENT_STEP_KIND_OUTREACH\",\"note\":\"sweep\"}"));
        // housing liaison
        SAMPLES.put("POST /v1/people/{person}/housingSituations", denied(Caller.OWNER,
                "{\"status\":\"HOUSING_STATUS_HOSTEL\",\"startDate\":{\"year\":2026,\"month\":3,\"day\":2}}"));
        SAMPLES.put("GET /v1/people/{person}/housingSituations", denied(Caller.OWNER, null));
        SAMPLES.put("POST /v1/people/{person}/releasePlans", denied(Caller.OWNER,
                "{\"releaseDate\":" + RELEASE_DATE + ",\"releasingEstablishment\":\"HMP Leeds\",\"localAuthorityCode\":\"E08000035\"}"));
        SAMPLES.put("GET /v1/people/{person}/releasePlans", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/people/{person}/releasePlans/{releasePlan}", denied(Caller.OWNER, null));
        SAMPLES.put("POST /v1/people/{person}/releasePlans/{releasePlan}:secureAccommodation", denied(Caller.OWNER,
                "{\"accommodation\":{\"type\":\"HOUSING_STATUS_HOSTEL\",\"securedBy\":\"sweep\"}}"));
        SAMPLES.put("GET /v1/releasePlans:alerts", own(null, ""));
        SAMPLES.put("POST /v1/people/{person}/dutyToReferNotices", denied(Caller.OWNER,
                "{\"authorityCode\":\"E08000035\",\"reason\":\"sweep\",\"contactPhone\":\"07700 900111\","
                        + "\"expectedHomelessDate\":" + RELEASE_DATE + "}"));
        SAMPLES.put("GET /v1/people/{person}/dutyToReferNotices/{dutyToReferNotice}", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/housing/deadLetters", denied(Caller.OPERATOR, null));
        SAMPLES.put("POST /v1/housing/deadLetters/{deadLetter}:replay", denied(Caller.OPERATOR, "{}"));
        // benefits liaison
        SAMPLES.put("POST /v1/people/{person}/claims", denied(Caller.OWNER, "{\"benefit\":\"BENEFIT_UNIVERSAL_CREDIT\"}"));
        SAMPLES.put("GET /v1/people/{person}/claims", denied(Caller.OWNER, null));
        SAMPLES.put("GET /v1/people/{person}/claims/{claim}", denied(Caller.OWNER, null));
        SAMPLES.put("POST /v1/people/{person}/claims/{claim}:recordStatus", denied(Caller.OWNER,
                "{\"status\":\"CLAIM_STATUS_SUBMITTED\",\"note\":\"sweep\"}"));
        SAMPLES.put("POST /v1/people/{person}/claims/{claim}:submit", denied(Caller.OWNER, "{}"));
        SAMPLES.put("POST /v1/people/{person}/claimPreparations", denied(Caller.OWNER,
                "{\"benefit\":\"BENEFIT_UNIVERSAL_CREDIT\",\"releaseDate\":" + RELEASE_DATE
                        + ",\"jurisdiction\":\"JURISDICTION_ENGLAND_AND_WALES\"}"));
        SAMPLES.put("GET /v1/people/{person}/claimPreparations/{claimPreparation}", denied(Caller.OWNER, null));
        SAMPLES.put("POST /v1/people/{person}/claimPreparations/{claimPreparation}:recordChecklist", denied(Caller.OWNER,
                "{\"checklist\":{\"proofOfIdentityHeld\":true}}"));
        SAMPLES.put("GET /v1/benefits/deadLetters", denied(Caller.OPERATOR, null));
        SAMPLES.put("POST /v1/benefits/deadLetters/{deadLetter}:replay", denied(Caller.OPERATOR, "{}"));
        // the shared record (composed in the gateway)
        SAMPLES.put("GET /v1/people/{person}/sharedRecord", denied(Caller.OWNER, null));
    }

    /** "route check" → why it fails today. The check still runs: fixing one fails the sweep until it is removed here. */
    static final Map<String, String> KNOWN_GAPS = new TreeMap<>();

    static {
        // FAILED_PRECONDITION "no consent to refer" comes before "not found": it reveals nothing of the
        // person (a person nobody holds gets the same 409) but is not the 403/404 asked for.
        KNOWN_GAPS.put("POST /v1/people/{person}/dutyToReferNotices unrelated-agency",
                "409 consent-to-refer-missing instead of 404 for a person the caller may not see");
    }

    /** A route of the document: method, OpenAPI path, and each path parameter with the request field it sets. */
    record Route(String method, String path, Map<String, String> fieldOfParameter, boolean hasBody) {
        String key() {
            return method + " " + path;
        }
    }

    static final Map<String, String> ids = new LinkedHashMap<>();
    static final List<Route> routes = new ArrayList<>();
    static String subscriptionToRemove;

    @BeforeAll
    static void setUp() {
        Platform.get();
        HttpResponse<String> doc = Platform.get("/v1/openapi.json", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        routes.addAll(routes(doc.body()));

        String owner = integrator(OWNER_AGENCY);
        String person = created(Platform.post("/v1/people?confirmNewPerson=true", owner, """
                {"preferredName":{"givenNames":"Ira","familyName":"Sweepmarkerowner"},
                 "dateOfBirth":{"year":1982,"month":7,"day":14},
                 "identifiers":[{"type":"IDENTIFIER_TYPE_NHS_NUMBER","value":"485 777 3414"}],
                 "contactDetails":[{"method":"CONTACT_METHOD_PHONE","value":"07700 900777","safeToContact":true}]}"""));
        put("person", person);
        String consent = created(Platform.post("/v1/" + person + "/consents", owner, """
                {"recipients":[{"agency":"hmp-leeds"}],"categories":["DATA_CATEGORY_REFERRALS","DATA_CATEGORY_CONTACT"],
                 "purposes":["PURPOSE_REFERRAL"],"method":"CONSENT_METHOD_WRITTEN","capacityNote":"sweep-marker-consent"}"""));
        put("consent", consent);
        created(Platform.post("/v1/" + person + "/consents", owner, """
                {"recipients":[{"agencyType":"AGENCY_TYPE_TREATMENT"}],
                 "categories":["DATA_CATEGORY_REFERRALS","DATA_CATEGORY_SUBSTANCE_USE","DATA_CATEGORY_JUSTICE"],
                 "purposes":["PURPOSE_REFERRAL"],"method":"CONSENT_METHOD_WRITTEN"}"""));
        put("legalBase", created(Platform.post("/v1/" + person + "/legalBases", owner, """
                {"type":"LEGAL_BASIS_TYPE_SERIOUS_IMMINENT_RISK_TO_LIFE","recipientAgency":"forward-leeds",
                 "categories":["DATA_CATEGORY_RISK"],"purposes":["PURPOSE_RISK_MANAGEMENT"],
                 "justification":"sweep-marker-basis: overdose risk after release.","validUntil":"%s"}"""
                .formatted(Instant.now().plus(7, ChronoUnit.DAYS)))));
        created(Platform.post("/v1/" + person + "/housingSituations", owner,
                "{\"status\":\"HOUSING_STATUS_IN_CUSTODY\",\"startDate\":{\"year\":2026,\"month\":1,\"day\":5},"
                        + "\"note\":\"sweep-marker-housing\"}"));
        put("releasePlan", created(Platform.post("/v1/" + person + "/releasePlans", owner,
                "{\"releaseDate\":" + RELEASE_DATE + ",\"releasingEstablishment\":\"HMP Leeds\",\"localAuthorityCode\":\"E08000035\"}")));
        put("dutyToReferNotice", created(Platform.post("/v1/" + person + "/dutyToReferNotices", owner,
                "{\"authorityCode\":\"E08000035\",\"reason\":\"sweep-marker-housing\",\"contactPhone\":\"07700 900777\","
                        + "\"expectedHomelessDate\":" + RELEASE_DATE + "}")));
        put("claim", created(Platform.post("/v1/" + person + "/claims", owner, "{\"benefit\":\"BENEFIT_UNIVERSAL_CREDIT\"}")));
        put("claimPreparation", created(Platform.post("/v1/" + person + "/claimPreparations", owner,
                "{\"benefit\":\"BENEFIT_UNIVERSAL_CREDIT\",\"releaseDate\":" + RELEASE_DATE
                        + ",\"jurisdiction\":\"JURISDICTION_ENGLAND_AND_WALES\"}")));
        put("referral", created(Platform.post("/v1/referrals", owner, """
                {"person":"%s","pathway":"PATHWAY_CUSTODY_RELEASE_TREATMENT","performerAgency":"forward-leeds",
                 "reason":"sweep-marker-referral","custodyRelease":{"releaseDate":%s,
                 "prison":"HMP Leeds","treatmentInCustody":["CUSTODY_TREATMENT_PSYCHOSOCIAL"]}}""".formatted(person, RELEASE_DATE))));
        // plain http to loopback only (the platform allows it for local runs): nothing leaves the machine
        subscriptionToRemove = created(Platform.post("/v1/webhookSubscriptions", owner,
                "{\"url\":\"http://127.0.0.1:9/sweep-owner\",\"events\":[\"WEBHOOK_EVENT_CREATED\"]}"));
        put("webhookSubscription", subscriptionToRemove);
        ids.put("careTeamId", OWNER_AGENCY); // the registering agency is on the care team, named by its alias
        // made only by stewards from real duplicates, or by failing partners: a well-formed id nobody holds
        ids.put("duplicateReview", NOBODYS_ID);
        ids.put("merge", NOBODYS_ID);
        ids.put("deadLetter", NOBODYS_ID);
    }

    @AfterAll
    static void tearDown() {
        if (subscriptionToRemove != null) {
            send("DELETE", "/v1/" + subscriptionToRemove, integrator(OWNER_AGENCY), null);
        }
    }

    /** Keeps the last segment of a created resource's name as the id of its OpenAPI parameter. */
    private static void put(String parameter, String name) {
        ids.put(parameter, name.substring(name.lastIndexOf('/') + 1));
    }

    private static String created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonPath.read(r.body(), "$.name");
    }

    /** The route table, read from the OpenAPI document. */
    @SuppressWarnings("unchecked")
    static List<Route> routes(String openApi) {
        Map<String, Map<String, Object>> paths = JsonPath.read(openApi, "$.paths");
        Pattern field = Pattern.compile("the request field `([^`]+)`");
        List<Route> out = new ArrayList<>();
        paths.forEach((path, operations) -> operations.forEach((method, o) -> {
            Map<String, Object> op = (Map<String, Object>) o;
            Map<String, String> fields = new LinkedHashMap<>();
            for (Object p : (List<Object>) op.getOrDefault("parameters", List.of())) {
                Map<String, Object> param = (Map<String, Object>) p;
                if ("path".equals(param.get("in"))) {
                    Matcher m = field.matcher(String.valueOf(param.get("description")));
                    fields.put((String) param.get("name"), m.find() ? m.group(1) : null);
                }
            }
            out.add(new Route(method.toUpperCase(Locale.ROOT), path, fields, op.containsKey("requestBody")));
        }));
        return out;
    }

    @Test
    void theSamplesCoverTheWholeRouteTable() {
        Set<String> inDocument = new TreeSet<>(routes.stream().map(Route::key).toList());
        Set<String> missing = new TreeSet<>(inDocument);
        missing.removeAll(SAMPLES.keySet());
        Set<String> stale = new TreeSet<>(SAMPLES.keySet());
        stale.removeAll(inDocument);
        assertThat(missing).as("routes without a sample request: add one to RouteSweepTest.SAMPLES").isEmpty();
        assertThat(stale).as("samples for routes that no longer exist").isEmpty();
        assertThat(inDocument).hasSizeGreaterThanOrEqualTo(60);
    }

    @Test
    void everyRouteRefusesBadInputWithAProblemNamingTheField() {
        sweep("bad-input", this::badInput);
    }

    @Test
    void everyRouteShowsAnUnrelatedAgencyNothing() {
        // reads first, then writes: a write the platform wrongly accepts must not open up the reads
        routes.sort(java.util.Comparator.comparing((Route r) -> !r.method().equals("GET")));
        sweep("unrelated-agency", this::unrelatedAgency);
    }

    @Test
    void everyRouteWantsAToken() {
        sweep("no-token", route -> {
            HttpResponse<String> r = send(route.method(), path(route, ids::get) + query(route, ""), null,
                    SAMPLES.get(route.key()).body());
            List<String> wrong = new ArrayList<>();
            if (r.statusCode() != 401) {
                wrong.add("status " + r.statusCode());
            }
            wrong.addAll(leaks(r));
            return wrong;
        });
    }

    /** Runs one check over every route with a sample; known gaps must still fail, everything else must pass. */
    private void sweep(String check, Function<Route, List<String>> probe) {
        List<String> failures = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        int visited = 0;
        for (Route route : routes) {
            if (!SAMPLES.containsKey(route.key())) {
                continue; // reported by theSamplesCoverTheWholeRouteTable
            }
            visited++;
            List<String> wrong = probe.apply(route);
            String gap = route.key() + " " + check;
            if (KNOWN_GAPS.containsKey(gap)) {
                if (wrong.isEmpty()) {
                    fixed.add(gap + " (fixed: remove it from KNOWN_GAPS)");
                }
            } else if (!wrong.isEmpty()) {
                failures.add(gap + ": " + String.join("; ", wrong));
            }
        }
        System.out.printf("route sweep (%s): %d routes, %d failing, %d known gaps%n", check, visited, failures.size(),
                KNOWN_GAPS.keySet().stream().filter(k -> k.endsWith(" " + check)).count());
        failures.forEach(f -> System.out.println("  " + f));
        assertThat(visited).isEqualTo(routes.size());
        assertThat(failures).isEmpty();
        assertThat(fixed).isEmpty();
    }

    private List<String> badInput(Route route) {
        Sample sample = SAMPLES.get(route.key());
        String token = token(sample.caller());
        List<String> wrong = new ArrayList<>();
        // an unknown field: in the body where there is one, else as a query parameter
        HttpResponse<String> unknown = route.hasBody()
                ? send(route.method(), path(route, ids::get) + query(route, sample.query()), token,
                        withUnknownField(sample.body() == null ? "{}" : sample.body()))
                : send(route.method(), path(route, ids::get) + query(route, sample.query() + "&sweepUnknownField=1"),
                        token, null);
        wrong.addAll(problemNaming(unknown, 400, "sweep_unknown_field", "unknown field"));
        // a malformed id in each path parameter that is a resource id
        for (Map.Entry<String, String> p : route.fieldOfParameter().entrySet()) {
            String malformedPath = path(route, name -> name.equals(p.getKey()) ? "Not_An-Id" : ids.get(name));
            HttpResponse<String> malformed = send(route.method(), malformedPath + query(route, sample.query()), token,
                    sample.body());
            wrong.addAll(problemNaming(malformed, 400, p.getValue(), "malformed {" + p.getKey() + "}"));
        }
        return wrong;
    }

    private List<String> unrelatedAgency(Route route) {
        Sample sample = SAMPLES.get(route.key());
        HttpResponse<String> r = send(route.method(), path(route, ids::get) + query(route, sample.query()),
                integrator(UNRELATED_AGENCY), sample.body());
        List<String> wrong = new ArrayList<>();
        if (sample.foreign() == Foreign.DENIED) {
            if (r.statusCode() != 403 && r.statusCode() != 404) {
                wrong.add("status " + r.statusCode() + " (want 403/404) " + abbreviate(r.body()));
            }
            if (!isProblem(r)) {
                wrong.add("not problem+json");
            }
        } else if (r.statusCode() >= 500) {
            wrong.add("status " + r.statusCode());
        }
        MARKERS.stream().filter(r.body()::contains).forEach(m -> wrong.add("leaked \"" + m + "\""));
        wrong.addAll(leaks(r));
        return wrong;
    }

    /** A problem+json with the status, whose errors name the field (snake_case or lowerCamel alike). */
    private static List<String> problemNaming(HttpResponse<String> r, int status, String field, String what) {
        List<String> wrong = new ArrayList<>();
        if (r.statusCode() != status) {
            wrong.add(what + ": status " + r.statusCode() + " " + abbreviate(r.body()));
        } else if (!isProblem(r)) {
            wrong.add(what + ": not problem+json");
        } else if (field != null) {
            List<String> fields = r.body().contains("\"errors\"") ? JsonPath.read(r.body(), "$.errors[*].field") : List.of();
            // an unknown field is named by its full path in the request (e.g. person.sweepUnknownField)
            if (fields.stream().noneMatch(f -> comparable(f).equals(comparable(field))
                    || comparable(f).endsWith("." + comparable(field)))) {
                wrong.add(what + ": errors name " + fields + ", not " + field);
            }
        }
        wrong.addAll(leaks(r));
        return wrong;
    }

    private static String comparable(String field) {
        return field.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static boolean isProblem(HttpResponse<String> r) {
        return r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
    }

    static final Pattern STACK = Pattern.compile("Exception|\\bat [\\w.$]+\\(|\\bjava\\.|io\\.grpc|org\\.springframework|netty",
            Pattern.CASE_INSENSITIVE);

    /** An error must not carry a stack trace, a class name or this machine's name. */
    private static List<String> leaks(HttpResponse<String> r) {
        if (r.statusCode() < 400) {
            return List.of();
        }
        List<String> wrong = new ArrayList<>();
        if (r.statusCode() >= 500) {
            wrong.add("status " + r.statusCode());
        }
        if (STACK.matcher(r.body()).find()) {
            wrong.add("stack trace or class name in " + abbreviate(r.body()));
        }
        String host = hostName();
        if (host != null && r.body().contains(host)) {
            wrong.add("host name in body");
        }
        return wrong;
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.length() > 3 && !h.equals("localhost") ? h : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static String withUnknownField(String body) {
        int brace = body.indexOf('{');
        String rest = body.substring(brace + 1).strip();
        return "{\"sweepUnknownField\":1" + (rest.startsWith("}") ? "" : ",") + rest;
    }

    private static String path(Route route, Function<String, String> value) {
        String p = route.path();
        for (String name : route.fieldOfParameter().keySet()) {
            String v = value.apply(name);
            assertThat(v).as("no fixture id for {%s} of %s", name, route.key()).isNotNull();
            p = p.replace("{" + name + "}", v);
        }
        return p;
    }

    private static String query(Route route, String query) {
        String q = query.startsWith("&") ? query.substring(1) : query;
        return q.isEmpty() ? "" : "?" + q;
    }

    private static String token(Caller caller) {
        return switch (caller) {
            case OWNER -> integrator(OWNER_AGENCY);
            case OPERATOR -> user("platform-operator");
            case DPO -> user("dpo");
            case COMMISSIONER -> user("commissioner");
        };
    }

    /** Sends with the fixture's person in place of {person} inside sample bodies. */
    static HttpResponse<String> send(String method, String path, String token, String body) {
        HttpRequest.Builder b = Platform.request(path, token);
        String json = body == null ? null : body.replace("{person}", ids.getOrDefault("person", NOBODYS_ID));
        HttpRequest.BodyPublisher publisher = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return Platform.send(b.method(method, publisher).build());
    }
}

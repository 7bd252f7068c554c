package bridge.e2e;

import static bridge.e2e.Platform.get;
import static bridge.e2e.Platform.integrator;
import static bridge.e2e.Platform.post;
import static bridge.e2e.Platform.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every agency type × every data category × every consent state, through the gateway with real
 * Keycloak tokens: the consent service's decisions, and what the services actually return, match
 * an independent statement of the rules — with zero leaks. The expected table is written here from
 * DESIGN.md, not derived from the policy code.
 */
class AuthorizationMatrixTest {

    /** One caller agency per agency type. The data owner (change-grow-live) is none of them. */
    static final Map<String, String> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("POLICE", "met-police");
        CALLERS.put("PROBATION", "north-probation");
        CALLERS.put("PRISON", "hmp-leeds");
        CALLERS.put("COURT", "leeds-magistrates");
        CALLERS.put("HOUSING", "leeds-housing");
        CALLERS.put("HEALTH", "leeds-nhs");
        CALLERS.put("TREATMENT", "forward-leeds");
        CALLERS.put("BENEFITS", "dwp-leeds");
        CALLERS.put("PEER_SUPPORT", "peer-navigators");
        CALLERS.put("SOCIAL_CARE", "leeds-social-care");
        CALLERS.put("PLATFORM", "bridge-platform");
    }

    static final String OWNER = "change-grow-live";
    static final List<String> CATEGORIES = List.of("IDENTITY", "CONTACT", "SUBSTANCE_USE", "MENTAL_HEALTH",
            "PHYSICAL_HEALTH", "JUSTICE", "HOUSING", "BENEFITS", "RISK", "FAMILY", "REFERRALS", "OUTCOMES");
    static final List<String> HEALTH = List.of("SUBSTANCE_USE", "MENTAL_HEALTH", "PHYSICAL_HEALTH");

    enum State { NONE, GRANTED, GRANTED_TO_TYPE, WITHDRAWN, EXPIRED, FUTURE, LEGAL_BASIS, LEGAL_BASIS_REVOKED }

    /** The rules of DESIGN.md, stated independently of the policy code. */
    static boolean expected(String callerType, String category, State state) {
        if (callerType.equals("PLATFORM")) {
            return false; // platform operators see no personal data, whatever the consent
        }
        return switch (state) {
            case NONE, WITHDRAWN, EXPIRED, FUTURE, LEGAL_BASIS_REVOKED -> false;
            case GRANTED, LEGAL_BASIS -> true; // named recipient, or a legal basis naming the agency
            // a consent to every agency of a type never carries health data to the police
            case GRANTED_TO_TYPE -> !(callerType.equals("POLICE") && HEALTH.contains(category));
        };
    }

    static final Map<State, String> people = new EnumMap<>(State.class);
    static final Map<State, Map<String, String>> records = new EnumMap<>(State.class);

    @BeforeAll
    static void setUp() throws InterruptedException {
        Platform.get();
        String owner = integrator(OWNER);
        String all = CATEGORIES.stream().map(c -> "\"DATA_CATEGORY_" + c + "\"").collect(Collectors.joining(","));
        String purposes = "\"PURPOSE_DIRECT_SUPPORT\",\"PURPOSE_REFERRAL\",\"PURPOSE_RISK_MANAGEMENT\"";
        String named = CALLERS.values().stream().filter(a -> !a.equals("bridge-platform"))
                .map(a -> "{\"agency\":\"" + a + "\"}").collect(Collectors.joining(","));
        String types = CALLERS.keySet().stream().filter(t -> !t.equals("PLATFORM"))
                .map(t -> "{\"agencyType\":\"AGENCY_TYPE_" + t + "\"}").collect(Collectors.joining(","));
        Instant now = Instant.now();
        for (State state : State.values()) {
            // near-identical on purpose: confirmed, or registration would name the earlier ones as likely duplicates
            String person = created(post("/v1/people?confirmNewPerson=true", owner, """
                    {"preferredName":{"givenNames":"Sam","familyName":"Matrix%s"},
                     "dateOfBirth":{"year":1979,"month":6,"day":1},
                     "contactDetails":[{"method":"CONTACT_METHOD_PHONE","value":"07700 900%03d","safeToContact":true}]}"""
                    .formatted(state.name(), state.ordinal())));
            people.put(state, person);
            Map<String, String> r = new LinkedHashMap<>();
            r.put("housing", created(post("/v1/" + person + "/housingSituations", owner,
                    "{\"status\":\"HOUSING_STATUS_HOSTEL\",\"startDate\":{\"year\":2026,\"month\":3,\"day\":2},"
                            + "\"note\":\"matrix-housing-note\"}")));
            r.put("claim", created(post("/v1/" + person + "/claims", owner, "{\"benefit\":\"BENEFIT_UNIVERSAL_CREDIT\"}")));
            records.put(state, r);
            String consent = switch (state) {
                case GRANTED, WITHDRAWN -> consentJson(named, all, purposes, null, null);
                case GRANTED_TO_TYPE -> consentJson(types, all, purposes, null, null);
                case EXPIRED -> consentJson(named, all, purposes, null, now.plusSeconds(6));
                case FUTURE -> consentJson(named, all, purposes, now.plus(1, ChronoUnit.DAYS), null);
                default -> null;
            };
            if (consent != null) {
                String name = created(post("/v1/" + person + "/consents", owner, consent));
                if (state == State.WITHDRAWN) {
                    HttpResponse<String> w = post("/v1/" + name + ":withdraw", owner, "{\"reason\":\"person asked\"}");
                    assertThat(w.statusCode()).as(w.body()).isEqualTo(200);
                }
            }
            if (state == State.LEGAL_BASIS || state == State.LEGAL_BASIS_REVOKED) {
                for (String agency : CALLERS.values()) {
                    String basis = created(post("/v1/" + person + "/legalBases", owner, """
                            {"type":"LEGAL_BASIS_TYPE_SERIOUS_IMMINENT_RISK_TO_LIFE","recipientAgency":"%s",
                             "categories":[%s],"purposes":[%s],
                             "justification":"Overdose risk after release; keyworker cannot reach the person.",
                             "validUntil":"%s"}""".formatted(agency, all, purposes, now.plus(7, ChronoUnit.DAYS))));
                    if (state == State.LEGAL_BASIS_REVOKED) {
                        HttpResponse<String> rv = post("/v1/" + basis + ":review", user("dpo"),
                                "{\"outcome\":\"REVIEW_OUTCOME_REVOKE\",\"note\":\"not proportionate\"}");
                        assertThat(rv.statusCode()).as(rv.body()).isEqualTo(200);
                    }
                }
            }
        }
        // let the short consent of EXPIRED run out
        Thread.sleep(Math.max(0, now.plusSeconds(7).toEpochMilli() - System.currentTimeMillis()));
    }

    private static String consentJson(String recipients, String categories, String purposes, Instant from, Instant until) {
        return "{\"recipients\":[" + recipients + "],\"categories\":[" + categories + "],\"purposes\":[" + purposes
                + "],\"method\":\"CONSENT_METHOD_WRITTEN\""
                + (from == null ? "" : ",\"validFrom\":\"" + from + "\"")
                + (until == null ? "" : ",\"validUntil\":\"" + until + "\"") + "}";
    }

    private static String created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonPath.read(r.body(), "$.name");
    }

    @Test
    void decisionsMatchTheRulesForEveryAgencyTypeCategoryAndConsentState() {
        String body = "{\"categories\":[" + CATEGORIES.stream().map(c -> "\"DATA_CATEGORY_" + c + "\"")
                .collect(Collectors.joining(",")) + "],\"purpose\":\"PURPOSE_DIRECT_SUPPORT\"}";
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> caller : CALLERS.entrySet()) {
            String token = integrator(caller.getValue());
            for (State state : State.values()) {
                HttpResponse<String> r = post("/v1/" + people.get(state) + ":batchDecide", token, body);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                List<Map<String, Object>> decisions = JsonPath.read(r.body(), "$.decisions");
                assertThat(decisions).hasSize(CATEGORIES.size());
                for (Map<String, Object> d : decisions) {
                    String category = ((String) d.get("category")).substring("DATA_CATEGORY_".length());
                    boolean allowed = Boolean.TRUE.equals(d.get("allowed"));
                    checked++;
                    if (allowed != expected(caller.getKey(), category, state)) {
                        wrong.add(caller.getKey() + " " + category + " " + state + ": got " + allowed);
                    }
                }
            }
        }
        System.out.printf("authorization matrix (decisions): %d checks, %d wrong%n", checked, wrong.size());
        assertThat(wrong).isEmpty();
        assertThat(checked).isEqualTo(CALLERS.size() * CATEGORIES.size() * State.values().length);
    }

    @Test
    void whatTheServicesReturnMatchesTheDecisionsWithZeroLeaks() {
        int checked = 0;
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> caller : CALLERS.entrySet()) {
            String type = caller.getKey();
            String token = integrator(caller.getValue());
            for (State state : State.values()) {
                String person = people.get(state);
                Map<String, String> r = records.get(state);

                HttpResponse<String> p = get("/v1/" + person, token);
                boolean identity = expected(type, "IDENTITY", state);
                checked++;
                if (identity != (p.statusCode() == 200) || (!identity && !List.of(403, 404).contains(p.statusCode()))) {
                    leaks.add(type + " " + state + " person: " + p.statusCode());
                }
                if (!identity && p.body().contains("Matrix")) {
                    leaks.add(type + " " + state + " person body leaked");
                }
                if (p.statusCode() == 200) {
                    checked++;
                    boolean contact = expected(type, "CONTACT", state);
                    if (contact != p.body().contains("07700")) {
                        leaks.add(type + " " + state + " contact shown=" + p.body().contains("07700"));
                    }
                    // canonical protobuf JSON omits empty lists
                    List<String> withheld = p.body().contains("withheldCategories")
                            ? JsonPath.read(p.body(), "$.withheldCategories[*]") : List.of();
                    if (!contact && !withheld.contains("DATA_CATEGORY_CONTACT")) {
                        leaks.add(type + " " + state + " CONTACT not named as withheld");
                    }
                    checked++;
                    // the owner (a treatment service) on the care team reveals SUBSTANCE_USE
                    boolean treatmentVisible = p.body().contains("\"agency\":\"" + OWNER + "\"");
                    if (treatmentVisible != expected(type, "SUBSTANCE_USE", state)) {
                        leaks.add(type + " " + state + " care team entry shown=" + treatmentVisible);
                    }
                }

                HttpResponse<String> h = get("/v1/" + person + "/housingSituations", token);
                checked++;
                boolean housing = expected(type, "HOUSING", state);
                boolean housingShown = h.body().contains("matrix-housing-note");
                if (type.equals("PLATFORM")) {
                    if (h.statusCode() != 403 || housingShown) {
                        leaks.add(type + " " + state + " housing: " + h.statusCode());
                    }
                } else if (h.statusCode() != (identity ? 200 : 404) || housing != housingShown) {
                    // a list about a person the caller may not see is "not found", like the person
                    leaks.add(type + " " + state + " housing shown=" + housingShown + " status " + h.statusCode());
                }

                HttpResponse<String> c = get("/v1/" + r.get("claim"), token);
                checked++;
                boolean benefits = expected(type, "BENEFITS", state);
                if (benefits != (c.statusCode() == 200) || c.statusCode() / 100 == 5) {
                    leaks.add(type + " " + state + " claim: " + c.statusCode());
                }
            }
        }
        System.out.printf("authorization matrix (data returned): %d checks, %d leaks%n", checked, leaks.size());
        assertThat(leaks).isEmpty();
    }

    @Test
    void withdrawalTakesEffectOnTheNextRequest() {
        String owner = integrator(OWNER);
        String police = integrator("met-police");
        String person = created(post("/v1/people", owner,
                "{\"preferredName\":{\"familyName\":\"Withdrawn\"},\"dateOfBirth\":{\"year\":1990,\"month\":1,\"day\":2}}"));
        String consent = created(post("/v1/" + person + "/consents", owner, consentJson("{\"agency\":\"met-police\"}",
                "\"DATA_CATEGORY_IDENTITY\"", "\"PURPOSE_DIRECT_SUPPORT\"", null, null)));
        assertThat(get("/v1/" + person, police).statusCode()).isEqualTo(200);
        assertThat(post("/v1/" + consent + ":withdraw", owner, "{}").statusCode()).isEqualTo(200);
        assertThat(get("/v1/" + person, police).statusCode()).isEqualTo(404);
    }

}

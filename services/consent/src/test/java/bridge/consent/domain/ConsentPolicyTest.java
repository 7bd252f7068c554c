package bridge.consent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The policy, table-driven: every agency type × every data category × every situation of the
 * person's records × every purpose asked, against expectations computed by an independent statement
 * of the rules ({@link #expected}), written from DESIGN.md and the issue — not from ConsentPolicy.
 */
class ConsentPolicyTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final String PERSON = "person-1";
    static final Actor RECORDER = new Actor("kw", "forward-leeds", AgencyType.TREATMENT);

    /** One agency of each type, from the demo directory. */
    static final Map<AgencyType, String> AGENCY_OF_TYPE = new EnumMap<>(Map.ofEntries(
            Map.entry(AgencyType.POLICE, "met-police"),
            Map.entry(AgencyType.PROBATION, "north-probation"),
            Map.entry(AgencyType.PRISON, "hmp-leeds"),
            Map.entry(AgencyType.COURT, "leeds-magistrates"),
            Map.entry(AgencyType.HOUSING, "leeds-housing"),
            Map.entry(AgencyType.HEALTH, "leeds-nhs"),
            Map.entry(AgencyType.TREATMENT, "forward-leeds"),
            Map.entry(AgencyType.BENEFITS, "dwp-leeds"),
            Map.entry(AgencyType.PEER_SUPPORT, "peer-navigators"),
            Map.entry(AgencyType.SOCIAL_CARE, "leeds-social-care"),
            Map.entry(AgencyType.PLATFORM, "bridge-platform")));

    /** What the person's records hold, relative to the caller. Every consent/legal basis covers the category for DIRECT_SUPPORT. */
    enum Situation {
        NONE,
        CONSENT_NAMING_THE_AGENCY,
        CONSENT_NAMING_THE_TYPE,
        CONSENT_NAMING_ANOTHER_AGENCY,
        CONSENT_NAMING_ANOTHER_TYPE,
        WITHDRAWN_CONSENT_NAMING_THE_AGENCY,
        EXPIRED_CONSENT_NAMING_THE_AGENCY,
        FUTURE_CONSENT_NAMING_THE_AGENCY,
        /** v1 named the agency; v2, the current version, names another agency only. */
        SUPERSEDED_VERSION_NAMING_THE_AGENCY,
        LEGAL_BASIS_PENDING_REVIEW,
        LEGAL_BASIS_UPHELD,
        LEGAL_BASIS_REVOKED,
        LEGAL_BASIS_EXPIRED,
        LEGAL_BASIS_FOR_ANOTHER_AGENCY
    }

    static final Set<DataCategory> HEALTH = Set.of(DataCategory.SUBSTANCE_USE, DataCategory.MENTAL_HEALTH,
            DataCategory.PHYSICAL_HEALTH);

    /** The expected outcome: allowed + basis kind, or the deny reason. */
    record Outcome(boolean allowed, String basis, DenyReason reason) {
        static Outcome consent() {
            return new Outcome(true, "consent", null);
        }

        static Outcome legalBasis() {
            return new Outcome(true, "legal basis", null);
        }

        static Outcome deny(DenyReason r) {
            return new Outcome(false, "none", r);
        }

        static Outcome of(Decision d) {
            String basis = d.consentId() != null ? "consent" : d.legalBasisId() != null ? "legal basis" : "none";
            return new Outcome(d.allowed(), basis, d.denyReason());
        }
    }

    /**
     * The rules, stated independently:
     * - the platform sees no personal data, whatever is recorded;
     * - only a consent in force (not withdrawn, expired, future or superseded) or a legal basis that is
     *   neither revoked nor expired allows, and only when it covers the purpose asked and names the caller;
     * - a consent names the caller by its agency or its type, but police asking for health data need a
     *   consent naming that police agency; a legal basis names the agency (and overrides the police rule);
     * - everything else is denied, police health data with its own reason.
     */
    static Outcome expected(AgencyType type, DataCategory category, Situation s, Purpose purpose) {
        if (type == AgencyType.PLATFORM) {
            return Outcome.deny(DenyReason.PLATFORM_SEES_NO_PERSONAL_DATA);
        }
        boolean purposeCovered = purpose == Purpose.DIRECT_SUPPORT;
        boolean policeHealth = type == AgencyType.POLICE && HEALTH.contains(category);
        if (purposeCovered) {
            switch (s) {
                case CONSENT_NAMING_THE_AGENCY:
                    return Outcome.consent();
                case CONSENT_NAMING_THE_TYPE:
                    if (!policeHealth) {
                        return Outcome.consent();
                    }
                    break;
                case LEGAL_BASIS_PENDING_REVIEW, LEGAL_BASIS_UPHELD:
                    return Outcome.legalBasis();
                default:
                    break;
            }
        }
        return Outcome.deny(policeHealth ? DenyReason.HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT : DenyReason.NO_CONSENT);
    }

    // ---- building the person's records ----

    static int ids;

    static Caller caller(AgencyType type) {
        return new Caller("worker-" + type, AGENCY_OF_TYPE.get(type), type, Set.of("worker"));
    }

    static String anotherAgency(String agency) {
        return agency.equals("leeds-housing") ? "leeds-nhs" : "leeds-housing";
    }

    static AgencyType anotherType(AgencyType type) {
        return type == AgencyType.HOUSING ? AgencyType.HEALTH : AgencyType.HOUSING;
    }

    static Consent consent(List<Recipient> recipients, List<DataCategory> categories, List<Purpose> purposes,
                           Instant from, Instant until, ConsentState state, long version) {
        return new Consent("c" + (++ids), PERSON, recipients, categories, purposes, from, until, ConsentMethod.WRITTEN,
                "", state, RECORDER, NOW.minus(Duration.ofDays(10)).plusSeconds(ids), version, null, null, null);
    }

    static Consent consent(Recipient to, DataCategory category) {
        return consent(List.of(to), List.of(category), List.of(Purpose.DIRECT_SUPPORT), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(30)), ConsentState.ACTIVE, 1);
    }

    static LegalBasis legalBasis(String agency, List<DataCategory> categories, List<Purpose> purposes, Instant until,
                                 ReviewState state) {
        return new LegalBasis("l" + (++ids), PERSON, LegalBasisType.SERIOUS_IMMINENT_RISK_TO_LIFE, agency, categories,
                purposes, "Overdose risk reported by the family this morning.", until, state,
                new Actor("pc", "met-police", AgencyType.POLICE), NOW.minus(Duration.ofHours(1)).plusSeconds(ids), null);
    }

    static LegalBasis legalBasis(String agency, DataCategory category, ReviewState state) {
        return legalBasis(agency, List.of(category), List.of(Purpose.DIRECT_SUPPORT), NOW.plus(Duration.ofDays(7)), state);
    }

    record Records(List<Consent> consents, List<LegalBasis> legalBases) {
    }

    static Records records(Situation s, Caller caller, DataCategory category) {
        String agency = caller.agency();
        Recipient named = Recipient.agency(agency);
        List<Consent> consents = new ArrayList<>();
        List<LegalBasis> legalBases = new ArrayList<>();
        switch (s) {
            case NONE -> { }
            case CONSENT_NAMING_THE_AGENCY -> consents.add(consent(List.of(named), List.of(category),
                    List.of(Purpose.DIRECT_SUPPORT), NOW.minus(Duration.ofDays(1)), null, ConsentState.ACTIVE, 3));
            case CONSENT_NAMING_THE_TYPE -> consents.add(consent(Recipient.agencyType(caller.agencyType()), category));
            case CONSENT_NAMING_ANOTHER_AGENCY -> consents.add(consent(Recipient.agency(anotherAgency(agency)), category));
            case CONSENT_NAMING_ANOTHER_TYPE ->
                    consents.add(consent(Recipient.agencyType(anotherType(caller.agencyType())), category));
            case WITHDRAWN_CONSENT_NAMING_THE_AGENCY -> consents.add(consent(List.of(named), List.of(category),
                    List.of(Purpose.DIRECT_SUPPORT), NOW.minus(Duration.ofDays(1)), null, ConsentState.WITHDRAWN, 2));
            case EXPIRED_CONSENT_NAMING_THE_AGENCY -> consents.add(consent(List.of(named), List.of(category),
                    List.of(Purpose.DIRECT_SUPPORT), NOW.minus(Duration.ofDays(30)), NOW, ConsentState.ACTIVE, 1));
            case FUTURE_CONSENT_NAMING_THE_AGENCY -> consents.add(consent(List.of(named), List.of(category),
                    List.of(Purpose.DIRECT_SUPPORT), NOW.plusMillis(1), null, ConsentState.ACTIVE, 1));
            case SUPERSEDED_VERSION_NAMING_THE_AGENCY -> {
                consents.add(consent(List.of(named), List.of(category), List.of(Purpose.DIRECT_SUPPORT),
                        NOW.minus(Duration.ofDays(1)), null, ConsentState.SUPERSEDED, 1));
                consents.add(consent(List.of(Recipient.agency(anotherAgency(agency))), List.of(category),
                        List.of(Purpose.DIRECT_SUPPORT), NOW.minus(Duration.ofDays(1)), null, ConsentState.ACTIVE, 2));
            }
            case LEGAL_BASIS_PENDING_REVIEW -> legalBases.add(legalBasis(agency, category, ReviewState.PENDING_REVIEW));
            case LEGAL_BASIS_UPHELD -> legalBases.add(legalBasis(agency, category, ReviewState.UPHELD));
            case LEGAL_BASIS_REVOKED -> legalBases.add(legalBasis(agency, category, ReviewState.REVOKED));
            case LEGAL_BASIS_EXPIRED -> legalBases.add(legalBasis(agency, List.of(category),
                    List.of(Purpose.DIRECT_SUPPORT), NOW, ReviewState.UPHELD));
            case LEGAL_BASIS_FOR_ANOTHER_AGENCY ->
                    legalBases.add(legalBasis(anotherAgency(agency), category, ReviewState.UPHELD));
        }
        return new Records(consents, legalBases);
    }

    static Decision decide(Caller caller, Records r, DataCategory category, Purpose purpose) {
        return ConsentPolicy.decide(new ConsentPolicy.Question(caller, r.consents(), r.legalBases(), category, purpose, NOW));
    }

    @Test
    void everyAgencyTypeCategorySituationAndPurpose() {
        int cases = 0;
        int allowed = 0;
        List<String> wrong = new ArrayList<>();
        for (AgencyType type : AgencyType.values()) {
            Caller caller = caller(type);
            for (DataCategory category : DataCategory.values()) {
                for (Situation s : Situation.values()) {
                    Records records = records(s, caller, category);
                    for (Purpose purpose : Purpose.values()) {
                        cases++;
                        Decision d = decide(caller, records, category, purpose);
                        Outcome want = expected(type, category, s, purpose);
                        if (!Outcome.of(d).equals(want) || !basisIsConsistent(d, records)) {
                            wrong.add(type + " " + category + " " + s + " " + purpose + ": got " + d + ", want " + want);
                        }
                        assertThat(d.category()).isEqualTo(category);
                        allowed += d.allowed() ? 1 : 0;
                    }
                }
            }
        }
        System.out.println("ConsentPolicyTest: " + cases + " cases checked (" + allowed + " allow, "
                + (cases - allowed) + " deny)");
        assertThat(wrong).isEmpty();
        assertThat(cases).isEqualTo(AgencyType.values().length * DataCategory.values().length
                * Situation.values().length * Purpose.values().length);
    }

    /** An allow names exactly the consent version or legal basis in the records that allows. */
    static boolean basisIsConsistent(Decision d, Records r) {
        if (!d.allowed()) {
            return d.consentId() == null && d.legalBasisId() == null && d.consentVersion() == 0 && d.denyReason() != null;
        }
        if (d.denyReason() != null) {
            return false;
        }
        if (d.consentId() != null) {
            return d.legalBasisId() == null && r.consents().stream()
                    .anyMatch(c -> c.id().equals(d.consentId()) && c.version() == d.consentVersion());
        }
        return d.legalBasisId() != null && r.legalBases().stream().anyMatch(b -> b.id().equals(d.legalBasisId()));
    }

    // ---- targeted cases ----

    static final Caller POLICE = caller(AgencyType.POLICE);
    static final Caller HOUSING = caller(AgencyType.HOUSING);
    static final Caller PLATFORM = caller(AgencyType.PLATFORM);

    @Test
    void aConsentAllowsOnlyThePurposesItNames() {
        Consent c = consent(List.of(Recipient.agency("leeds-housing")), List.of(DataCategory.HOUSING),
                List.of(Purpose.REFERRAL, Purpose.RISK_MANAGEMENT), NOW.minusSeconds(60), null, ConsentState.ACTIVE, 1);
        Records r = new Records(List.of(c), List.of());
        assertThat(decide(HOUSING, r, DataCategory.HOUSING, Purpose.REFERRAL).allowed()).isTrue();
        assertThat(decide(HOUSING, r, DataCategory.HOUSING, Purpose.RISK_MANAGEMENT).allowed()).isTrue();
        assertThat(decide(HOUSING, r, DataCategory.HOUSING, Purpose.DIRECT_SUPPORT))
                .isEqualTo(Decision.deny(DataCategory.HOUSING, DenyReason.NO_CONSENT));
        // and only the categories it names
        assertThat(decide(HOUSING, r, DataCategory.BENEFITS, Purpose.REFERRAL).allowed()).isFalse();
    }

    @Test
    void policeSeeHealthDataOnlyUnderAConsentNamingThatPoliceAgency() {
        for (DataCategory health : List.of(DataCategory.SUBSTANCE_USE, DataCategory.MENTAL_HEALTH, DataCategory.PHYSICAL_HEALTH)) {
            // "all POLICE" covers justice data, not health data
            Records byType = new Records(List.of(consent(Recipient.agencyType(AgencyType.POLICE), health)), List.of());
            assertThat(decide(POLICE, byType, health, Purpose.DIRECT_SUPPORT))
                    .isEqualTo(Decision.deny(health, DenyReason.HEALTH_DATA_TO_POLICE_NEEDS_NAMED_CONSENT));
            // "all agencies": every type named, no agency named
            List<Recipient> everyType = Arrays.stream(AgencyType.values()).filter(t -> t != AgencyType.PLATFORM)
                    .map(Recipient::agencyType).toList();
            Records everyone = new Records(List.of(consent(everyType, List.of(health, DataCategory.JUSTICE),
                    List.of(Purpose.DIRECT_SUPPORT), NOW.minusSeconds(1), null, ConsentState.ACTIVE, 1)), List.of());
            assertThat(decide(POLICE, everyone, health, Purpose.DIRECT_SUPPORT).allowed()).isFalse();
            assertThat(decide(POLICE, everyone, DataCategory.JUSTICE, Purpose.DIRECT_SUPPORT).allowed()).isTrue();
            // named: allowed
            Consent named = consent(Recipient.agency("met-police"), health);
            assertThat(decide(POLICE, new Records(List.of(named), List.of()), health, Purpose.DIRECT_SUPPORT))
                    .isEqualTo(Decision.byConsent(health, named));
            // another police agency named: not this one
            Records otherForce = new Records(List.of(consent(Recipient.agency("west-yorkshire-police"), health)), List.of());
            assertThat(decide(POLICE, otherForce, health, Purpose.DIRECT_SUPPORT).allowed()).isFalse();
            // a legal basis naming the force: allowed (break glass)
            LegalBasis lb = legalBasis("met-police", health, ReviewState.PENDING_REVIEW);
            assertThat(decide(POLICE, new Records(List.of(), List.of(lb)), health, Purpose.DIRECT_SUPPORT))
                    .isEqualTo(Decision.byLegalBasis(health, lb));
        }
    }

    @Test
    void thePlatformSeesNothingEvenWithAConsentOrALegalBasis() {
        Records r = new Records(
                List.of(consent(List.of(Recipient.agency("bridge-platform"), Recipient.agencyType(AgencyType.PLATFORM)),
                        List.of(DataCategory.IDENTITY), List.of(Purpose.DIRECT_SUPPORT), NOW.minusSeconds(1), null,
                        ConsentState.ACTIVE, 1)),
                List.of(legalBasis("bridge-platform", DataCategory.IDENTITY, ReviewState.UPHELD)));
        Caller dpo = new Caller("dpo", "bridge-platform", AgencyType.PLATFORM, Set.of(Roles.DATA_PROTECTION_OFFICER));
        for (Caller c : List.of(PLATFORM, dpo)) {
            assertThat(decide(c, r, DataCategory.IDENTITY, Purpose.DIRECT_SUPPORT))
                    .isEqualTo(Decision.deny(DataCategory.IDENTITY, DenyReason.PLATFORM_SEES_NO_PERSONAL_DATA));
        }
    }

    @Test
    void validityBoundaries() {
        Consent c = consent(List.of(Recipient.agency("leeds-housing")), List.of(DataCategory.HOUSING),
                List.of(Purpose.DIRECT_SUPPORT), NOW, NOW.plusSeconds(60), ConsentState.ACTIVE, 1);
        Records r = new Records(List.of(c), List.of());
        assertThat(ConsentPolicy.decide(new ConsentPolicy.Question(HOUSING, r.consents(), r.legalBases(),
                DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, NOW.minusMillis(1))).allowed()).isFalse();
        assertThat(ConsentPolicy.decide(new ConsentPolicy.Question(HOUSING, r.consents(), r.legalBases(),
                DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, NOW)).allowed()).isTrue();
        assertThat(ConsentPolicy.decide(new ConsentPolicy.Question(HOUSING, r.consents(), r.legalBases(),
                DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, NOW.plusSeconds(60).minusMillis(1))).allowed()).isTrue();
        assertThat(ConsentPolicy.decide(new ConsentPolicy.Question(HOUSING, r.consents(), r.legalBases(),
                DataCategory.HOUSING, Purpose.DIRECT_SUPPORT, NOW.plusSeconds(60))).allowed()).isFalse();
        LegalBasis lb = legalBasis("leeds-housing", List.of(DataCategory.RISK), List.of(Purpose.RISK_MANAGEMENT),
                NOW.plusSeconds(1), ReviewState.PENDING_REVIEW);
        assertThat(ConsentPolicy.decide(new ConsentPolicy.Question(HOUSING, List.of(), List.of(lb), DataCategory.RISK,
                Purpose.RISK_MANAGEMENT, NOW)).allowed()).isTrue();
        assertThat(ConsentPolicy.decide(new ConsentPolicy.Question(HOUSING, List.of(), List.of(lb), DataCategory.RISK,
                Purpose.RISK_MANAGEMENT, NOW.plusSeconds(1))).allowed()).isFalse();
    }

    @Test
    void theBasisIsTheOldestConsentAndAConsentBeatsALegalBasis() {
        Consent older = consent(Recipient.agencyType(AgencyType.HOUSING), DataCategory.HOUSING);
        Consent newer = consent(Recipient.agency("leeds-housing"), DataCategory.HOUSING);
        LegalBasis lb = legalBasis("leeds-housing", DataCategory.HOUSING, ReviewState.UPHELD);
        assertThat(older.createdAt()).isBefore(newer.createdAt());
        Decision d = decide(HOUSING, new Records(List.of(newer, older), List.of(lb)), DataCategory.HOUSING,
                Purpose.DIRECT_SUPPORT);
        assertThat(d).isEqualTo(Decision.byConsent(DataCategory.HOUSING, older));
        // input order does not matter
        assertThat(decide(HOUSING, new Records(List.of(older, newer), List.of(lb)), DataCategory.HOUSING,
                Purpose.DIRECT_SUPPORT)).isEqualTo(d);
    }

    @Test
    void aBatchAnswersEachCategoryInOrder() {
        Records r = new Records(List.of(consent(Recipient.agency("leeds-housing"), DataCategory.HOUSING)), List.of());
        List<Decision> ds = ConsentPolicy.decide(HOUSING, r.consents(), r.legalBases(),
                List.of(DataCategory.RISK, DataCategory.HOUSING), Purpose.DIRECT_SUPPORT, NOW);
        assertThat(ds).extracting(Decision::category).containsExactly(DataCategory.RISK, DataCategory.HOUSING);
        assertThat(ds).extracting(Decision::allowed).containsExactly(false, true);
    }

    @Test
    void theRuleTableHasFiveRowsEndingInDefaultDeny() {
        assertThat(ConsentPolicy.rules()).hasSize(5);
        assertThat(ConsentPolicy.rules().getLast()).contains("default deny");
    }
}

package bridge.bench.jmh;

import bridge.consent.domain.Consent;
import bridge.consent.domain.ConsentMethod;
import bridge.consent.domain.ConsentState;
import bridge.consent.domain.LegalBasis;
import bridge.consent.domain.LegalBasisType;
import bridge.consent.domain.Recipient;
import bridge.consent.domain.ReviewState;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One person's consent history of realistic variety for the in-process policy benchmark: 20
 * consents (named agencies and agency types; active, withdrawn, superseded, expired) and 3 legal
 * bases (pending review, upheld, revoked) — the same shape as the consent service's DecideBenchmark.
 */
final class ConsentFixtures {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private ConsentFixtures() {
    }

    static List<Consent> consents() {
        Actor recorder = new Actor("kw", "forward-leeds", AgencyType.TREATMENT);
        String[] agencies = {"leeds-housing", "north-probation", "leeds-nhs", "dwp-leeds", "peer-navigators",
                "hmp-leeds", "leeds-social-care", "change-grow-live"};
        AgencyType[] types = {AgencyType.HOUSING, AgencyType.PROBATION, AgencyType.HEALTH, AgencyType.TREATMENT};
        DataCategory[] cats = DataCategory.values();
        List<Consent> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Recipient r = i % 3 == 0 ? Recipient.agencyType(types[i % types.length]) : Recipient.agency(agencies[i % agencies.length]);
            List<DataCategory> c = List.of(cats[i % 12], cats[(i + 5) % 12], cats[(i + 7) % 12]);
            ConsentState state = i % 7 == 6 ? ConsentState.WITHDRAWN : i % 5 == 4 ? ConsentState.SUPERSEDED : ConsentState.ACTIVE;
            Instant until = i % 4 == 3 ? NOW.minusSeconds(3600) : NOW.plus(Duration.ofDays(200));
            out.add(new Consent("c" + i, "p", List.of(r, Recipient.agency("met-police")), c,
                    List.of(Purpose.DIRECT_SUPPORT, Purpose.REFERRAL), NOW.minus(Duration.ofDays(30)), until,
                    ConsentMethod.WRITTEN, "", state, recorder, NOW.minus(Duration.ofDays(30)).plusSeconds(i), 1 + i % 3,
                    null, null, null));
        }
        return out;
    }

    static List<LegalBasis> legalBases() {
        Actor police = new Actor("pc", "met-police", AgencyType.POLICE);
        return List.of(
                new LegalBasis("l1", "p", LegalBasisType.SERIOUS_IMMINENT_RISK_TO_LIFE, "met-police",
                        List.of(DataCategory.MENTAL_HEALTH, DataCategory.RISK), List.of(Purpose.RISK_MANAGEMENT),
                        "Threatened suicide in custody.", NOW.plus(Duration.ofDays(2)), ReviewState.PENDING_REVIEW,
                        police, NOW.minusSeconds(600), null),
                new LegalBasis("l2", "p", LegalBasisType.SAFEGUARDING, "leeds-social-care",
                        List.of(DataCategory.FAMILY), List.of(Purpose.RISK_MANAGEMENT), "Child at risk, section 47.",
                        NOW.plus(Duration.ofDays(20)), ReviewState.UPHELD, police, NOW.minusSeconds(6000), null),
                new LegalBasis("l3", "p", LegalBasisType.STATUTORY_DUTY, "leeds-housing",
                        List.of(DataCategory.HOUSING), List.of(Purpose.REFERRAL), "Duty to refer, HRA 2017.",
                        NOW.plus(Duration.ofDays(20)), ReviewState.REVOKED, police, NOW.minusSeconds(60000), null));
    }
}

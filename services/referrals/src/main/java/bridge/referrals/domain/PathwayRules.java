package bridge.referrals.domain;

import bridge.referrals.domain.PathwayDetails.CourtTreatmentRequirement;
import bridge.referrals.domain.PathwayDetails.CustodyRelease;
import bridge.referrals.domain.PathwayDetails.DrugTestOnArrest;
import bridge.referrals.domain.PathwayDetails.DutyToRefer;
import bridge.referrals.domain.PathwayDetails.LiaisonAndDiversion;
import bridge.referrals.domain.PathwayDetails.PeerNavigator;
import bridge.referrals.domain.PathwayDetails.ReleaseBenefitsClaim;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.Violations;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What each pathway's data must satisfy. Field paths are the contract's, relative to the referral
 * ({@code at} is e.g. "referral."). Shape errors are violations (INVALID_ARGUMENT); what depends on
 * today (custody release planning opening 12 weeks before release) is {@link #checkTiming}.
 */
public final class PathwayRules {

    /** Release planning opens this long before the release date (continuity of care). */
    public static final int PLANNING_OPENS_WEEKS_BEFORE_RELEASE = 12;
    static final int MAX_TEXT = 200;
    static final int MAX_SUPPORT_WANTED = 2000;
    /** ONS local authority codes: a letter and eight digits (E08000035 is Leeds). */
    static final Pattern LOCAL_AUTHORITY_CODE = Pattern.compile("[EWSN]\\d{8}");

    private PathwayRules() {
    }

    /** The contract's field name of each pathway's data. */
    public static String field(Pathway p) {
        return p.name().toLowerCase(Locale.ROOT).replace("custody_release_treatment", "custody_release");
    }

    /**
     * @param today the sender's calendar date (UK): dates of events that already happened may not be after it
     */
    public static void validate(Pathway pathway, PathwayDetails details, LocalDate today, String at, Violations v) {
        if (pathway == null) {
            return;
        }
        String own = at + field(pathway);
        if (details == null) {
            v.add(own, "is required for pathway " + pathway.name());
            return;
        }
        if (details.pathway() != pathway) {
            v.add(at + field(details.pathway()), "belongs to pathway " + details.pathway().name() + ", not "
                    + pathway.name() + ": send " + field(pathway) + " instead");
            return;
        }
        String f = own + ".";
        switch (details) {
            case DrugTestOnArrest d -> {
                pastOrToday(d.testDate(), f + "test_date", today, v);
                if (d.substances().isEmpty()) {
                    v.add(f + "substances", "at least one: what the test was positive for");
                }
                required(d.requiredAssessmentDate(), f + "required_assessment_date", v);
                if (d.testDate() != null && d.requiredAssessmentDate() != null
                        && d.requiredAssessmentDate().isBefore(d.testDate())) {
                    v.add(f + "required_assessment_date", "must not be before the test date");
                }
            }
            case CustodyRelease c -> {
                required(c.releaseDate(), f + "release_date", v);
                text(c.prison(), f + "prison", true, MAX_TEXT, v);
                if (c.treatmentInCustody().isEmpty()) {
                    v.add(f + "treatment_in_custody", "at least one: the treatment the community service is to continue");
                }
            }
            case CourtTreatmentRequirement o -> {
                if (o.requirement() == null) {
                    v.add(f + "requirement", "is required: DRR or ATR");
                }
                pastOrToday(o.orderStart(), f + "order_start_date", today, v);
                required(o.orderEnd(), f + "order_end_date", v);
                if (o.orderStart() != null && o.orderEnd() != null && !o.orderEnd().isAfter(o.orderStart())) {
                    v.add(f + "order_end_date", "must be after the order start date");
                }
                text(o.responsibleOfficer(), f + "responsible_officer", true, MAX_TEXT, v);
                text(o.probationAgency(), f + "probation_agency", true, MAX_TEXT, v);
            }
            case DutyToRefer d -> {
                if (d.localHousingAuthority() == null || !LOCAL_AUTHORITY_CODE.matcher(d.localHousingAuthority()).matches()) {
                    v.add(f + "local_housing_authority", "is required: the authority's ONS code, e.g. E08000035");
                }
                if (d.circumstance() == null) {
                    v.add(f + "circumstance", "is required: HOMELESS or THREATENED_WITH_HOMELESSNESS");
                }
            }
            case ReleaseBenefitsClaim b -> {
                required(b.releaseDate(), f + "release_date", v);
                if (b.benefits().isEmpty()) {
                    v.add(f + "benefits", "at least one: the benefits to claim");
                }
            }
            case PeerNavigator p -> {
                if (!p.personAgreed()) {
                    v.add(f + "person_agreed", "must be true: a peer navigator is voluntary, so the person must have agreed to be contacted");
                }
                text(p.supportWanted(), f + "support_wanted", false, MAX_SUPPORT_WANTED, v);
            }
            case LiaisonAndDiversion l -> {
                if (l.contactPoint() == null) {
                    v.add(f + "contact_point", "is required");
                }
                if (l.needs().isEmpty()) {
                    v.add(f + "needs", "at least one presenting need");
                }
            }
        }
    }

    /**
     * Rules that depend on today, checked after the request is well-formed: custody release planning
     * opens {@value #PLANNING_OPENS_WEEKS_BEFORE_RELEASE} weeks before the release date; earlier is refused.
     */
    public static void checkTiming(PathwayDetails details, LocalDate today) {
        if (details instanceof CustodyRelease c) {
            LocalDate opens = c.releaseDate().minusWeeks(PLANNING_OPENS_WEEKS_BEFORE_RELEASE);
            if (today.isBefore(opens)) {
                throw new FailedPreconditionException("RELEASE_PLANNING_NOT_OPEN", "referral.custody_release.release_date is "
                        + c.releaseDate() + ": release planning opens " + PLANNING_OPENS_WEEKS_BEFORE_RELEASE
                        + " weeks before, on " + opens + " (" + ChronoUnit.DAYS.between(today, opens)
                        + " days from now); send the referral then");
            }
        }
    }

    private static void required(LocalDate d, String field, Violations v) {
        if (d == null) {
            v.add(field, "is required");
        }
    }

    private static void pastOrToday(LocalDate d, String field, LocalDate today, Violations v) {
        if (d == null) {
            v.add(field, "is required");
        } else if (d.isAfter(today)) {
            v.add(field, "must not be in the future");
        }
    }

    private static void text(String s, String field, boolean required, int max, Violations v) {
        if (s == null || s.isBlank()) {
            if (required) {
                v.add(field, "is required");
            }
        } else if (s.codePointCount(0, s.length()) > max) {
            v.add(field, "at most " + max + " characters");
        } else if (s.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            v.add(field, "must not contain control characters");
        }
    }
}

package bridge.referrals.domain;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The data a referral carries for its pathway: one record per pathway, checked by
 * {@link PathwayRules}. Dates are calendar dates (UK), as the agencies record them.
 */
public sealed interface PathwayDetails {

    /** The pathway this data belongs to. */
    Pathway pathway();

    /** Class A drugs tested for on arrest (Drugs Act 2005). */
    enum Substance { OPIATES, COCAINE }

    /** Treatment given in custody, which the community service continues. */
    enum CustodyTreatment { OPIOID_SUBSTITUTION_THERAPY, ALCOHOL_DETOXIFICATION, PSYCHOSOCIAL, NALOXONE_SUPPLIED }

    /** Community order treatment requirements. */
    enum TreatmentRequirement {
        /** Drug rehabilitation requirement. */
        DRR,
        /** Alcohol treatment requirement. */
        ATR
    }

    /** Why a public authority refers under the duty to refer (Homelessness Reduction Act 2017). */
    enum HousingCircumstance { HOMELESS, THREATENED_WITH_HOMELESSNESS }

    /** Legal jurisdictions with their own bank holidays. */
    enum Jurisdiction { ENGLAND_AND_WALES, SCOTLAND }

    enum Benefit { UNIVERSAL_CREDIT, UNIVERSAL_CREDIT_HOUSING_COSTS, PERSONAL_INDEPENDENCE_PAYMENT, EMPLOYMENT_AND_SUPPORT_ALLOWANCE }

    /** Where liaison and diversion met the person. */
    enum ContactPoint { POLICE_CUSTODY, COURT, COMMUNITY }

    enum PresentingNeed { MENTAL_HEALTH, DRUG_USE, ALCOHOL_USE, LEARNING_DISABILITY }

    /**
     * A positive drug test on arrest: the person must attend a required assessment.
     *
     * @param substances what the test was positive for (at least one)
     */
    record DrugTestOnArrest(LocalDate testDate, Set<Substance> substances, LocalDate requiredAssessmentDate)
            implements PathwayDetails {
        public DrugTestOnArrest {
            substances = copy(substances, Substance.class);
        }

        @Override
        public Pathway pathway() {
            return Pathway.DRUG_TEST_ON_ARREST;
        }
    }

    /**
     * Release from custody to community treatment.
     *
     * @param prison             the releasing establishment (its code or name)
     * @param treatmentInCustody what the community service is to continue (at least one)
     */
    record CustodyRelease(LocalDate releaseDate, String prison, Set<CustodyTreatment> treatmentInCustody)
            implements PathwayDetails {
        public CustodyRelease {
            treatmentInCustody = copy(treatmentInCustody, CustodyTreatment.class);
        }

        @Override
        public Pathway pathway() {
            return Pathway.CUSTODY_RELEASE_TREATMENT;
        }
    }

    /**
     * A court order with a treatment requirement.
     *
     * @param probationAgency                 the agency of the responsible officer (organisation alias)
     * @param missedAppointmentsToProbation   whether the order makes missed appointments reportable to
     *                                        that probation agency; if not, probation does not see them
     */
    record CourtTreatmentRequirement(TreatmentRequirement requirement, LocalDate orderStart, LocalDate orderEnd,
                                     String responsibleOfficer, String probationAgency,
                                     boolean missedAppointmentsToProbation) implements PathwayDetails {
        @Override
        public Pathway pathway() {
            return Pathway.COURT_TREATMENT_REQUIREMENT;
        }
    }

    /**
     * @param localHousingAuthority the authority's code (ONS local authority code, e.g. E08000035)
     * @param contactPhone         how the authority can reach the person (phone, email or a note; "" when not given)
     * @param expectedHomelessDate when the person expects to be homeless, null when not known
     */
    record DutyToRefer(String localHousingAuthority, HousingCircumstance circumstance, String contactPhone,
                       String contactEmail, String contactNote, LocalDate expectedHomelessDate) implements PathwayDetails {
        public DutyToRefer {
            contactPhone = contactPhone == null ? "" : contactPhone;
            contactEmail = contactEmail == null ? "" : contactEmail;
            contactNote = contactNote == null ? "" : contactNote;
        }

        public DutyToRefer(String localHousingAuthority, HousingCircumstance circumstance) {
            this(localHousingAuthority, circumstance, "", "", "", null);
        }

        @Override
        public Pathway pathway() {
            return Pathway.DUTY_TO_REFER;
        }
    }

    /** Preparing a benefits claim before release so that payment does not wait weeks. */
    record ReleaseBenefitsClaim(LocalDate releaseDate, Set<Benefit> benefits, boolean identityDocumentsHeld,
                                boolean bankAccountOpen, Jurisdiction jurisdiction) implements PathwayDetails {
        public ReleaseBenefitsClaim {
            benefits = copy(benefits, Benefit.class);
            // most releases are to England and Wales; the calendar only moves the first working day
            jurisdiction = jurisdiction == null ? Jurisdiction.ENGLAND_AND_WALES : jurisdiction;
        }

        public ReleaseBenefitsClaim(LocalDate releaseDate, Set<Benefit> benefits, boolean identityDocumentsHeld,
                                    boolean bankAccountOpen) {
            this(releaseDate, benefits, identityDocumentsHeld, bankAccountOpen, null);
        }

        @Override
        public Pathway pathway() {
            return Pathway.RELEASE_BENEFITS_CLAIM;
        }
    }

    /**
     * Voluntary: sent only when the person agreed to be contacted; the person can decline at any
     * time (the navigator rejects, or the sender cancels, with reason PERSON_DECLINED).
     */
    record PeerNavigator(boolean personAgreed, String supportWanted) implements PathwayDetails {
        public PeerNavigator {
            supportWanted = supportWanted == null ? "" : supportWanted;
        }

        @Override
        public Pathway pathway() {
            return Pathway.PEER_NAVIGATOR;
        }
    }

    /** Liaison and diversion: where the person was met and what they present with (co-occurring needs). */
    record LiaisonAndDiversion(ContactPoint contactPoint, Set<PresentingNeed> needs) implements PathwayDetails {
        public LiaisonAndDiversion {
            needs = copy(needs, PresentingNeed.class);
        }

        /** Mental health together with drug or alcohol use. */
        public boolean coOccurring() {
            return needs.contains(PresentingNeed.MENTAL_HEALTH)
                    && (needs.contains(PresentingNeed.DRUG_USE) || needs.contains(PresentingNeed.ALCOHOL_USE));
        }

        @Override
        public Pathway pathway() {
            return Pathway.LIAISON_AND_DIVERSION;
        }
    }

    /** An unmodifiable copy; null elements (unrecognised values) are dropped here, after the rules saw them. */
    private static <E extends Enum<E>> Set<E> copy(Set<E> in, Class<E> type) {
        EnumSet<E> out = EnumSet.noneOf(type);
        if (in != null) {
            in.stream().filter(java.util.Objects::nonNull).forEach(out::add);
        }
        return Collections.unmodifiableSet(out);
    }
}

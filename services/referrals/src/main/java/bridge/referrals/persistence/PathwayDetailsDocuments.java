package bridge.referrals.persistence;

import bridge.referrals.domain.Pathway;
import bridge.referrals.domain.PathwayDetails;
import bridge.referrals.domain.PathwayDetails.CourtTreatmentRequirement;
import bridge.referrals.domain.PathwayDetails.CustodyRelease;
import bridge.referrals.domain.PathwayDetails.DrugTestOnArrest;
import bridge.referrals.domain.PathwayDetails.DutyToRefer;
import bridge.referrals.domain.PathwayDetails.LiaisonAndDiversion;
import bridge.referrals.domain.PathwayDetails.PeerNavigator;
import bridge.referrals.domain.PathwayDetails.ReleaseBenefitsClaim;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/** A referral's pathway data as a sub-document; dates as ISO text (calendar dates, no time zone to get wrong). */
final class PathwayDetailsDocuments {

    private PathwayDetailsDocuments() {
    }

    static Document asDocument(PathwayDetails details) {
        return switch (details) {
            case DrugTestOnArrest d -> new Document("testDate", d.testDate().toString())
                    .append("substances", names(d.substances()))
                    .append("requiredAssessmentDate", d.requiredAssessmentDate().toString());
            case CustodyRelease c -> new Document("releaseDate", c.releaseDate().toString())
                    .append("prison", c.prison())
                    .append("treatmentInCustody", names(c.treatmentInCustody()));
            case CourtTreatmentRequirement o -> new Document("requirement", o.requirement().name())
                    .append("orderStart", o.orderStart().toString())
                    .append("orderEnd", o.orderEnd().toString())
                    .append("responsibleOfficer", o.responsibleOfficer())
                    .append("probationAgency", o.probationAgency())
                    .append("missedAppointmentsToProbation", o.missedAppointmentsToProbation());
            case DutyToRefer d -> new Document("localHousingAuthority", d.localHousingAuthority())
                    .append("circumstance", d.circumstance().name())
                    .append("contactPhone", d.contactPhone())
                    .append("contactEmail", d.contactEmail())
                    .append("contactNote", d.contactNote())
                    .append("expectedHomelessDate", d.expectedHomelessDate() == null ? null : d.expectedHomelessDate().toString());
            case ReleaseBenefitsClaim b -> new Document("releaseDate", b.releaseDate().toString())
                    .append("benefits", names(b.benefits()))
                    .append("identityDocumentsHeld", b.identityDocumentsHeld())
                    .append("bankAccountOpen", b.bankAccountOpen())
                    .append("jurisdiction", b.jurisdiction().name());
            case PeerNavigator p -> new Document("personAgreed", p.personAgreed()).append("supportWanted", p.supportWanted());
            case LiaisonAndDiversion l -> new Document("contactPoint", l.contactPoint().name())
                    .append("needs", names(l.needs()));
        };
    }

    /** Null for referrals stored before pathway data existed. */
    static PathwayDetails fromDocument(Pathway pathway, Document d) {
        if (d == null) {
            return null;
        }
        return switch (pathway) {
            case DRUG_TEST_ON_ARREST -> new DrugTestOnArrest(date(d, "testDate"),
                    values(d, "substances", PathwayDetails.Substance.class), date(d, "requiredAssessmentDate"));
            case CUSTODY_RELEASE_TREATMENT -> new CustodyRelease(date(d, "releaseDate"), d.getString("prison"),
                    values(d, "treatmentInCustody", PathwayDetails.CustodyTreatment.class));
            case COURT_TREATMENT_REQUIREMENT -> new CourtTreatmentRequirement(
                    PathwayDetails.TreatmentRequirement.valueOf(d.getString("requirement")), date(d, "orderStart"),
                    date(d, "orderEnd"), d.getString("responsibleOfficer"), d.getString("probationAgency"),
                    d.getBoolean("missedAppointmentsToProbation", false));
            case DUTY_TO_REFER -> new DutyToRefer(d.getString("localHousingAuthority"),
                    PathwayDetails.HousingCircumstance.valueOf(d.getString("circumstance")), d.getString("contactPhone"),
                    d.getString("contactEmail"), d.getString("contactNote"),
                    d.getString("expectedHomelessDate") == null ? null : LocalDate.parse(d.getString("expectedHomelessDate")));
            case RELEASE_BENEFITS_CLAIM -> new ReleaseBenefitsClaim(date(d, "releaseDate"),
                    values(d, "benefits", PathwayDetails.Benefit.class), d.getBoolean("identityDocumentsHeld", false),
                    d.getBoolean("bankAccountOpen", false),
                    d.getString("jurisdiction") == null ? null : PathwayDetails.Jurisdiction.valueOf(d.getString("jurisdiction")));
            case PEER_NAVIGATOR -> new PeerNavigator(d.getBoolean("personAgreed", false), d.getString("supportWanted"));
            case LIAISON_AND_DIVERSION -> new LiaisonAndDiversion(
                    PathwayDetails.ContactPoint.valueOf(d.getString("contactPoint")),
                    values(d, "needs", PathwayDetails.PresentingNeed.class));
        };
    }

    private static List<String> names(Set<? extends Enum<?>> values) {
        return values.stream().map(Enum::name).toList();
    }

    private static <E extends Enum<E>> Set<E> values(Document d, String key, Class<E> type) {
        Set<E> out = EnumSet.noneOf(type);
        d.getList(key, String.class, List.of()).forEach(n -> out.add(Enum.valueOf(type, n)));
        return out;
    }

    private static LocalDate date(Document d, String key) {
        return LocalDate.parse(d.getString(key));
    }
}

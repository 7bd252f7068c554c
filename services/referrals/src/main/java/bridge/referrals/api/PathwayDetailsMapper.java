package bridge.referrals.api;

import bridge.referrals.domain.PathwayDetails;
import bridge.referrals.domain.PathwayDetails.CourtTreatmentRequirement;
import bridge.referrals.domain.PathwayDetails.CustodyRelease;
import bridge.referrals.domain.PathwayDetails.DrugTestOnArrest;
import bridge.referrals.domain.PathwayDetails.DutyToRefer;
import bridge.referrals.domain.PathwayDetails.LiaisonAndDiversion;
import bridge.referrals.domain.PathwayDetails.PeerNavigator;
import bridge.referrals.domain.PathwayDetails.ReleaseBenefitsClaim;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The pathway_details oneof to {@link PathwayDetails} and back; unspecified enum values are violations. */
final class PathwayDetailsMapper {

    private PathwayDetailsMapper() {
    }

    /** The pathway data of a create request, or null when none was sent. */
    static PathwayDetails toDomain(bridge.proto.referrals.v1.Referral r, Violations v) {
        String at = "referral.";
        return switch (r.getPathwayDetailsCase()) {
            case DRUG_TEST_ON_ARREST -> {
                var d = r.getDrugTestOnArrest();
                String f = at + "drug_test_on_arrest.";
                yield new DrugTestOnArrest(date(d.hasTestDate(), d.getTestDate(), f + "test_date", v),
                        values(d.getSubstancesList(), PathwayDetails.Substance.class, "SUBSTANCE_", f + "substances", v),
                        date(d.hasRequiredAssessmentDate(), d.getRequiredAssessmentDate(), f + "required_assessment_date", v));
            }
            case CUSTODY_RELEASE -> {
                var c = r.getCustodyRelease();
                String f = at + "custody_release.";
                yield new CustodyRelease(date(c.hasReleaseDate(), c.getReleaseDate(), f + "release_date", v), c.getPrison(),
                        values(c.getTreatmentInCustodyList(), PathwayDetails.CustodyTreatment.class, "CUSTODY_TREATMENT_", f + "treatment_in_custody", v));
            }
            case COURT_TREATMENT_REQUIREMENT -> {
                var o = r.getCourtTreatmentRequirement();
                String f = at + "court_treatment_requirement.";
                yield new CourtTreatmentRequirement(value(o.getRequirement(), PathwayDetails.TreatmentRequirement.class, "TREATMENT_REQUIREMENT_"),
                        date(o.hasOrderStartDate(), o.getOrderStartDate(), f + "order_start_date", v),
                        date(o.hasOrderEndDate(), o.getOrderEndDate(), f + "order_end_date", v),
                        o.getResponsibleOfficer(), o.getProbationAgency(), o.getMissedAppointmentsToProbation());
            }
            case DUTY_TO_REFER -> {
                var d = r.getDutyToRefer();
                yield new DutyToRefer(d.getLocalHousingAuthority(),
                        value(d.getCircumstance(), PathwayDetails.HousingCircumstance.class, "HOUSING_CIRCUMSTANCE_"),
                        d.getContactPhone(), d.getContactEmail(), d.getContactNote(),
                        d.hasExpectedHomelessDate() ? date(true, d.getExpectedHomelessDate(),
                                at + "duty_to_refer.expected_homeless_date", v) : null);
            }
            case RELEASE_BENEFITS_CLAIM -> {
                var b = r.getReleaseBenefitsClaim();
                String f = at + "release_benefits_claim.";
                yield new ReleaseBenefitsClaim(date(b.hasReleaseDate(), b.getReleaseDate(), f + "release_date", v),
                        values(b.getBenefitsList(), PathwayDetails.Benefit.class, "BENEFIT_", f + "benefits", v),
                        b.getIdentityDocumentsHeld(), b.getBankAccountOpen(),
                        b.getJurisdiction() == bridge.proto.referrals.v1.Jurisdiction.JURISDICTION_UNSPECIFIED ? null
                                : value(b.getJurisdiction(), PathwayDetails.Jurisdiction.class, "JURISDICTION_"));
            }
            case PEER_NAVIGATOR -> new PeerNavigator(r.getPeerNavigator().getPersonAgreed(),
                    r.getPeerNavigator().getSupportWanted());
            case LIAISON_AND_DIVERSION -> new LiaisonAndDiversion(
                    value(r.getLiaisonAndDiversion().getContactPoint(), PathwayDetails.ContactPoint.class, "CONTACT_POINT_"),
                    values(r.getLiaisonAndDiversion().getNeedsList(), PathwayDetails.PresentingNeed.class, "PRESENTING_NEED_",
                            at + "liaison_and_diversion.needs", v));
            case PATHWAYDETAILS_NOT_SET -> null;
        };
    }

    static void toProto(PathwayDetails details, bridge.proto.referrals.v1.Referral.Builder b) {
        if (details == null) {
            return;
        }
        switch (details) {
            case DrugTestOnArrest d -> b.setDrugTestOnArrest(bridge.proto.referrals.v1.DrugTestOnArrest.newBuilder()
                    .setTestDate(ProtoMapping.date(d.testDate()))
                    .addAllSubstances(protos(d.substances(), bridge.proto.referrals.v1.Substance.class, "SUBSTANCE_"))
                    .setRequiredAssessmentDate(ProtoMapping.date(d.requiredAssessmentDate())));
            case CustodyRelease c -> b.setCustodyRelease(bridge.proto.referrals.v1.CustodyRelease.newBuilder()
                    .setReleaseDate(ProtoMapping.date(c.releaseDate()))
                    .setPrison(c.prison())
                    .addAllTreatmentInCustody(protos(c.treatmentInCustody(), bridge.proto.referrals.v1.CustodyTreatment.class,
                            "CUSTODY_TREATMENT_")));
            case CourtTreatmentRequirement o -> b.setCourtTreatmentRequirement(
                    bridge.proto.referrals.v1.CourtTreatmentRequirement.newBuilder()
                            .setRequirement(bridge.proto.referrals.v1.TreatmentRequirement.valueOf(
                                    "TREATMENT_REQUIREMENT_" + o.requirement().name()))
                            .setOrderStartDate(ProtoMapping.date(o.orderStart()))
                            .setOrderEndDate(ProtoMapping.date(o.orderEnd()))
                            .setResponsibleOfficer(o.responsibleOfficer())
                            .setProbationAgency(o.probationAgency())
                            .setMissedAppointmentsToProbation(o.missedAppointmentsToProbation()));
            case DutyToRefer d -> {
                var dtr = bridge.proto.referrals.v1.DutyToRefer.newBuilder()
                        .setLocalHousingAuthority(d.localHousingAuthority())
                        .setCircumstance(bridge.proto.referrals.v1.HousingCircumstance.valueOf(
                                "HOUSING_CIRCUMSTANCE_" + d.circumstance().name()))
                        .setContactPhone(d.contactPhone()).setContactEmail(d.contactEmail()).setContactNote(d.contactNote());
                if (d.expectedHomelessDate() != null) {
                    dtr.setExpectedHomelessDate(ProtoMapping.date(d.expectedHomelessDate()));
                }
                b.setDutyToRefer(dtr);
            }
            case ReleaseBenefitsClaim c -> b.setReleaseBenefitsClaim(bridge.proto.referrals.v1.ReleaseBenefitsClaim.newBuilder()
                    .setReleaseDate(ProtoMapping.date(c.releaseDate()))
                    .addAllBenefits(protos(c.benefits(), bridge.proto.referrals.v1.Benefit.class, "BENEFIT_"))
                    .setIdentityDocumentsHeld(c.identityDocumentsHeld())
                    .setBankAccountOpen(c.bankAccountOpen())
                    .setJurisdiction(bridge.proto.referrals.v1.Jurisdiction.valueOf("JURISDICTION_" + c.jurisdiction().name())));
            case PeerNavigator p -> b.setPeerNavigator(bridge.proto.referrals.v1.PeerNavigator.newBuilder()
                    .setPersonAgreed(p.personAgreed()).setSupportWanted(p.supportWanted()));
            case LiaisonAndDiversion l -> b.setLiaisonAndDiversion(bridge.proto.referrals.v1.LiaisonAndDiversion.newBuilder()
                    .setContactPoint(bridge.proto.referrals.v1.ContactPoint.valueOf("CONTACT_POINT_" + l.contactPoint().name()))
                    .addAllNeeds(protos(l.needs(), bridge.proto.referrals.v1.PresentingNeed.class, "PRESENTING_NEED_")));
        }
    }

    private static LocalDate date(boolean present, com.google.type.Date d, String field, Violations v) {
        return present ? ProtoMapping.localDate(d, field, v) : null;
    }

    /** The domain value of the same name after the proto enum's prefix; null for UNSPECIFIED/unrecognised. */
    private static <E extends Enum<E>> E value(Enum<?> p, Class<E> type, String prefix) {
        String name = p.name();
        if (!name.startsWith(prefix)) {
            return null;
        }
        try {
            return Enum.valueOf(type, name.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> Set<E> values(List<? extends Enum<?>> in, Class<E> type, String prefix,
                                                     String field, Violations v) {
        Set<E> out = EnumSet.noneOf(type);
        for (int i = 0; i < in.size(); i++) {
            E e = value(in.get(i), type, prefix);
            if (e == null) {
                v.add(field + "[" + i + "]", "must name a value (UNSPECIFIED or unrecognised values are not one)");
            } else if (!out.add(e)) {
                v.add(field + "[" + i + "]", "is repeated");
            }
        }
        return out;
    }

    private static <P extends Enum<P>> List<P> protos(Set<? extends Enum<?>> values, Class<P> type, String prefix) {
        return values.stream().map(e -> Enum.valueOf(type, prefix + e.name())).toList();
    }
}

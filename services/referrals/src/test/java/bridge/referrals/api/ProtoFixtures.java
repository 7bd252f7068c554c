package bridge.referrals.api;

import bridge.proto.referrals.v1.CustodyRelease;
import bridge.proto.referrals.v1.CustodyTreatment;
import bridge.proto.referrals.v1.DrugTestOnArrest;
import bridge.proto.referrals.v1.PeerNavigator;
import bridge.proto.referrals.v1.Substance;
import bridge.support.grpc.ProtoMapping;
import java.time.LocalDate;

/** Valid pathway data in contract form, for tests about something else. */
final class ProtoFixtures {

    private ProtoFixtures() {
    }

    static DrugTestOnArrest drugTest() {
        return DrugTestOnArrest.newBuilder().setTestDate(ProtoMapping.date(LocalDate.of(2020, 1, 6)))
                .addSubstances(Substance.SUBSTANCE_OPIATES).addSubstances(Substance.SUBSTANCE_COCAINE)
                .setRequiredAssessmentDate(ProtoMapping.date(LocalDate.of(2020, 1, 13))).build();
    }

    static CustodyRelease custodyRelease(LocalDate release) {
        return CustodyRelease.newBuilder().setReleaseDate(ProtoMapping.date(release)).setPrison("HMP Leeds")
                .addTreatmentInCustody(CustodyTreatment.CUSTODY_TREATMENT_OPIOID_SUBSTITUTION_THERAPY).build();
    }

    static PeerNavigator peerNavigator() {
        return PeerNavigator.newBuilder().setPersonAgreed(true).setSupportWanted("Someone to go with me").build();
    }
}

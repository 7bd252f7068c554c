package bridge.bench.jmh;

import bridge.consent.domain.Consent;
import bridge.consent.domain.ConsentPolicy;
import bridge.consent.domain.Decision;
import bridge.consent.domain.LegalBasis;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import java.util.List;
import java.util.Set;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** S4 in-process: one consent decision (one category) by the consent service's own policy code. */
@State(Scope.Thread)
public class ConsentPolicyDecide {

    private final Caller[] callers = {
            new Caller("a", "met-police", AgencyType.POLICE, Set.of()),
            new Caller("b", "leeds-housing", AgencyType.HOUSING, Set.of()),
            new Caller("c", "leeds-nhs", AgencyType.HEALTH, Set.of()),
            new Caller("d", "dwp-leeds", AgencyType.BENEFITS, Set.of())};
    private final DataCategory[] categories = DataCategory.values();
    private final Purpose[] purposes = Purpose.values();
    private List<Consent> consents;
    private List<LegalBasis> legalBases;
    private int n;

    @Setup
    public void fixtures() {
        consents = ConsentFixtures.consents();
        legalBases = ConsentFixtures.legalBases();
    }

    @Benchmark
    public Decision decide() {
        int i = n++;
        return ConsentPolicy.decide(new ConsentPolicy.Question(callers[i & 3], consents, legalBases,
                categories[i % categories.length], purposes[i % 3], ConsentFixtures.NOW));
    }
}

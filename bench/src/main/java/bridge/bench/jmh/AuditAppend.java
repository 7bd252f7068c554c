package bridge.bench.jmh;

import bridge.consent.domain.AuditEvent;
import bridge.consent.domain.ConsentPolicy;
import bridge.consent.persistence.MongoAuditTrail;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.util.List;
import java.util.Set;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S5 append: the consent service's own {@link MongoAuditTrail} (hash chain, group commit) appending
 * one decision event per call from many threads, into a database of its own on the platform's Mongo
 * server (never the platform's live trail: two writers' caches would only fight over the tail).
 * Concurrent appends are batched into one insertMany by the trail itself: that is the "batched" rate.
 */
@State(Scope.Benchmark)
public class AuditAppend {

    /** The database the run appends into; the driver verifies its chain afterwards. */
    public static final String DATABASE = "bench-audit";

    private MongoClient client;
    private MongoAuditTrail trail;
    private AuditEvent event;

    @Setup(Level.Trial)
    public void open() {
        client = MongoClients.create(BenchProps.get("mongoUri"));
        trail = new MongoAuditTrail(client.getDatabase(DATABASE));
        Caller housing = new Caller("w", "leeds-housing", AgencyType.HOUSING, Set.of());
        event = new AuditEvent(ConsentFixtures.NOW, new Actor("w", "leeds-housing", AgencyType.HOUSING),
                "abcdefghijkmnpqrstuv", Purpose.REFERRAL,
                ConsentPolicy.decide(housing, ConsentFixtures.consents(), ConsentFixtures.legalBases(),
                        List.of(DataCategory.HOUSING, DataCategory.RISK), Purpose.REFERRAL, ConsentFixtures.NOW), "bench");
    }

    @TearDown(Level.Trial)
    public void close() {
        trail.close();
        client.close();
    }

    @Benchmark
    public Object append() {
        return trail.append(List.of(event));
    }
}

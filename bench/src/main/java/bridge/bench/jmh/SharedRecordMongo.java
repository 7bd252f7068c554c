package bridge.bench.jmh;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.Document;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S1 at the bottom: the documents behind one shared record, read raw from the platform's embedded
 * Mongo server over loopback, by the same keys the services use (person by _id, consent subject by
 * _id, housing situations, claims and referrals by personId). No policy, no gRPC, no HTTP.
 */
@State(Scope.Benchmark)
public class SharedRecordMongo {

    private MongoClient client;
    private MongoCollection<Document> people;
    private MongoCollection<Document> consentSubjects;
    private MongoCollection<Document> housing;
    private MongoCollection<Document> claims;
    private MongoCollection<Document> referrals;
    private List<String> ids;

    @Setup(Level.Trial)
    public void connect() {
        client = MongoClients.create(BenchProps.get("mongoUri"));
        people = db("people-directory").getCollection("people");
        consentSubjects = db("consent").getCollection("consentSubjects");
        housing = db("housing-liaison").getCollection("housingSituations");
        claims = db("benefits-liaison").getCollection("claims");
        referrals = db("referrals").getCollection("referrals");
        ids = BenchProps.people();
    }

    private MongoDatabase db(String name) {
        return client.getDatabase(name);
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
    }

    @Benchmark
    public Object sharedRecordDocuments() {
        String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
        List<Document> out = new ArrayList<>(8);
        Document person = people.find(Filters.eq("_id", id)).first();
        if (person == null) {
            throw new IllegalStateException("seeded person " + id + " not found");
        }
        out.add(person);
        out.add(consentSubjects.find(Filters.eq("_id", id)).first());
        housing.find(Filters.eq("personId", id)).limit(101).into(out);
        claims.find(Filters.eq("personId", id)).limit(101).into(out);
        referrals.find(Filters.eq("personId", id)).limit(101).into(out);
        return out;
    }
}

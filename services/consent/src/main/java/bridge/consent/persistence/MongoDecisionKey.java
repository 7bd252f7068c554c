package bridge.consent.persistence;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.function.Supplier;
import org.bson.Document;

/**
 * The decision-set signing key shared by every replica of the consent service, kept in its own
 * database (collection {@code decisionKeys}, one document {@code _id: "current"}): the first replica
 * to start makes the pair and inserts it; a replica that loses that race (duplicate key) reads the
 * winner's. So every replica signs with the same key and every service can verify every set, with
 * nothing to configure. The private key is as safe as the consent database, which already holds
 * what the sets are derived from; a deployment that wants it elsewhere configures the pair instead
 * ({@code bridge.consent.decision-sets.private-key}/{@code public-key}, ADR 0012).
 */
public final class MongoDecisionKey {

    static final String CURRENT = "current";

    private MongoDecisionKey() {
    }

    /** The stored pair, or a new one from {@code generate} stored first (once across all replicas). */
    public static KeyPair load(MongoDatabase db, Supplier<KeyPair> generate, Clock clock) {
        MongoCollection<Document> keys = db.getCollection("decisionKeys");
        Document stored = keys.find(Filters.eq("_id", CURRENT)).first();
        if (stored == null) {
            KeyPair made = generate.get();
            try {
                keys.insertOne(new Document("_id", CURRENT)
                        .append("algorithm", made.getPrivate().getAlgorithm())
                        .append("privateKey", Base64.getEncoder().encodeToString(made.getPrivate().getEncoded()))
                        .append("publicKey", Base64.getEncoder().encodeToString(made.getPublic().getEncoded()))
                        .append("createdAt", Date.from(clock.instant())));
                return made;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                stored = keys.find(Filters.eq("_id", CURRENT)).first(); // another replica was first: use its pair
            }
        }
        return decode(stored);
    }

    private static KeyPair decode(Document stored) {
        try {
            KeyFactory factory = KeyFactory.getInstance(stored.getString("algorithm"));
            return new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(stored.getString("publicKey")))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(stored.getString("privateKey")))));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("decisionKeys/current in the consent database is not a readable key pair", e);
        }
    }
}

package bridge.consent.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.testing.EmbeddedMongo;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every replica of the consent service signs decision sets with the one pair kept in its database. */
class MongoDecisionKeyTest {

    MongoDatabase fresh() {
        return EmbeddedMongo.freshDatabase("decision-key");
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theFirstReplicaMakesThePairAndEveryLaterOneUsesIt() {
        MongoDatabase db = fresh();
        AtomicInteger made = new AtomicInteger();
        KeyPair first = MongoDecisionKey.load(db, () -> {
            made.incrementAndGet();
            return rsa();
        }, Clock.systemUTC());
        KeyPair second = MongoDecisionKey.load(db, () -> {
            made.incrementAndGet();
            return rsa();
        }, Clock.systemUTC());
        assertThat(made).hasValue(1);
        assertThat(second.getPublic().getEncoded()).isEqualTo(first.getPublic().getEncoded());
        assertThat(second.getPrivate().getEncoded()).isEqualTo(first.getPrivate().getEncoded());
    }

    @Test
    void twoReplicasStartingTogetherEndWithOnePair() {
        MongoDatabase db = fresh();
        AtomicReference<KeyPair> other = new AtomicReference<>();
        // replica B found no key; while it makes one, replica A stores its own first
        KeyPair b = MongoDecisionKey.load(db, () -> {
            other.set(MongoDecisionKey.load(db, MongoDecisionKeyTest::rsa, Clock.systemUTC()));
            return rsa();
        }, Clock.systemUTC());
        assertThat(b.getPublic().getEncoded()).as("B lost the race and uses A's pair")
                .isEqualTo(other.get().getPublic().getEncoded());
        assertThat(db.getCollection("decisionKeys").countDocuments()).isEqualTo(1);
    }

    @Test
    void anUnreadableStoredPairStopsTheStartRatherThanSigningWithSomethingElse() {
        MongoDatabase db = fresh();
        MongoDecisionKey.load(db, MongoDecisionKeyTest::rsa, Clock.systemUTC());
        db.getCollection("decisionKeys").updateOne(Filters.eq("_id", "current"), Updates.set("privateKey", "bm90IGEga2V5"));
        assertThatThrownBy(() -> MongoDecisionKey.load(db, MongoDecisionKeyTest::rsa, Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("decisionKeys/current");
    }
}

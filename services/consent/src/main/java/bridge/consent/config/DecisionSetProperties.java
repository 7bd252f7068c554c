package bridge.consent.config;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How decision sets are signed (ADR 0012).
 *
 * <p>The key pair comes from the environment or a mounted secret, never from the repository:
 * {@code BRIDGE_CONSENT_DECISIONSETS_PRIVATEKEY} (base64 PKCS#8) and
 * {@code BRIDGE_CONSENT_DECISIONSETS_PUBLICKEY} (base64 X.509). Without them the replicas share one
 * pair kept in the consent database, made by the first replica to start ({@code MongoDecisionKey}),
 * so a set signed by any replica verifies everywhere.
 *
 * @param expiry how long a set is good for after issue (default 5 s, at most 30 s): one request's
 *               life, the gateway's deadline; a withdrawal counts from the next request
 */
@ConfigurationProperties("bridge.consent.decision-sets")
public record DecisionSetProperties(String privateKey, String publicKey, Duration expiry) {

    static final Duration MAX_EXPIRY = Duration.ofSeconds(30);

    public DecisionSetProperties {
        expiry = expiry == null ? Duration.ofSeconds(5) : expiry;
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalStateException("bridge.consent.decision-sets.expiry must be more than 0 and at most "
                    + MAX_EXPIRY.toSeconds() + " s (a set is for one request)");
        }
        if ((privateKey == null || privateKey.isBlank()) != (publicKey == null || publicKey.isBlank())) {
            throw new IllegalStateException(
                    "bridge.consent.decision-sets: private-key and public-key are configured together or not at all");
        }
    }

    /** Whether the pair is configured (else it comes from the consent database). */
    boolean configured() {
        return privateKey != null && !privateKey.isBlank();
    }

    /** A new RSA-2048 pair (ADR 0012: signed once, verified up to seven times per shared record). */
    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key pair generator", e);
        }
    }

    KeyPair keyPair() {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            KeyPair pair = new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey.strip()))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey.strip()))));
            requireMatching(pair);
            return pair;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("bridge.consent.decision-sets: the key pair is not a base64 RSA pair"
                    + " (PKCS#8 private key, X.509 public key)", e);
        }
    }

    /** A public key that does not verify the private key's signatures would make every set fail to verify. */
    private static void requireMatching(KeyPair pair) throws GeneralSecurityException {
        byte[] probe = "bridge decision sets".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(pair.getPrivate());
        s.update(probe);
        byte[] signature = s.sign();
        s.initVerify(pair.getPublic());
        s.update(probe);
        if (!s.verify(signature)) {
            throw new IllegalStateException("bridge.consent.decision-sets: public-key does not match private-key");
        }
    }
}

package bridge.support.grpc;

import bridge.proto.consent.v1.DecisionKey;
import bridge.proto.consent.v1.ListDecisionKeysResponse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The consent service's public keys for decision sets, as an enforcement point holds them: fetched
 * (ListDecisionKeys) when a set names a key id not held — on first use, and after the consent
 * service changed its key — at most once per {@code refetchGap}, so sets with invented key ids
 * cannot turn into a stream of calls. A failed fetch keeps the keys held; a set whose key cannot be
 * had is not used (the service asks BatchDecide instead).
 */
public final class DecisionKeys {

    private static final System.Logger log = System.getLogger(DecisionKeys.class.getName());

    private final Supplier<ListDecisionKeysResponse> fetcher;
    private final Duration refetchGap;
    private final Clock clock;

    private volatile Map<String, PublicKey> keys = Map.of();
    private Instant lastFetch = Instant.MIN;

    public DecisionKeys(Supplier<ListDecisionKeysResponse> fetcher, Duration refetchGap, Clock clock) {
        this.fetcher = fetcher;
        this.refetchGap = refetchGap;
        this.clock = clock;
    }

    /** The key with this id, or null when it is not held and cannot be had now. */
    public PublicKey find(String keyId) {
        PublicKey key = keys.get(keyId);
        return key != null ? key : refetchFor(keyId);
    }

    private synchronized PublicKey refetchFor(String keyId) {
        PublicKey key = keys.get(keyId);
        Instant now = clock.instant();
        if (key != null || now.isBefore(lastFetch.plus(refetchGap))) {
            return key;
        }
        lastFetch = now;
        try {
            keys = parse(fetcher.get());
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "decision keys could not be fetched; decisions are asked for instead: "
                    + e.getMessage());
        }
        return keys.get(keyId);
    }

    static Map<String, PublicKey> parse(ListDecisionKeysResponse response) {
        Map<String, PublicKey> out = new HashMap<>();
        try {
            KeyFactory factory = KeyFactory.getInstance(DecisionSets.KEY_ALGORITHM);
            for (DecisionKey k : response.getKeysList()) {
                out.put(k.getKeyId(), factory.generatePublic(new X509EncodedKeySpec(k.getPublicKey().toByteArray())));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the consent service published a key that is not an RSA public key", e);
        }
        return Map.copyOf(out);
    }
}

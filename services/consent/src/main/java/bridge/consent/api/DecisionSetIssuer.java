package bridge.consent.api;

import bridge.consent.domain.Decision;
import bridge.proto.consent.v1.DecisionKey;
import bridge.proto.consent.v1.DecisionSet;
import bridge.proto.consent.v1.ListDecisionKeysResponse;
import bridge.proto.consent.v1.SignedDecisionSet;
import bridge.support.consent.Purpose;
import bridge.support.grpc.DecisionSets;
import bridge.support.identity.Caller;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Signs the decisions of one request as a decision set (ADR 0012) with the consent service's RSA
 * key, and publishes the public key that verifies them. The set names the caller as this service
 * read them from the token it validated, and expires {@code expiry} after issue: it is for one
 * request, never reused across requests.
 */
public final class DecisionSetIssuer {

    private final KeyPair key;
    private final String keyId;
    private final Duration expiry;
    private final Clock clock;

    public DecisionSetIssuer(KeyPair key, Duration expiry, Clock clock) {
        this.key = key;
        this.keyId = keyId(key.getPublic().getEncoded());
        this.expiry = expiry;
        this.clock = clock;
    }

    SignedDecisionSet issue(Caller caller, String personId, Purpose purpose, List<Decision> decisions, String requestId) {
        Instant now = clock.instant();
        DecisionSet.Builder set = DecisionSet.newBuilder()
                .setSubject(caller.subject())
                .setAgency(caller.agency())
                .setPerson("people/" + personId)
                .setPurpose(bridge.proto.common.v1.Purpose.valueOf("PURPOSE_" + purpose.name()))
                .setRequestId(requestId)
                .setIssueTime(timestamp(now))
                .setExpireTime(timestamp(now.plus(expiry)));
        decisions.forEach(d -> set.addDecisions(ConsentMapper.toProto(personId, d)));
        return DecisionSets.sign(set.build(), key.getPrivate(), keyId);
    }

    ListDecisionKeysResponse keys() {
        return ListDecisionKeysResponse.newBuilder().addKeys(DecisionKey.newBuilder().setKeyId(keyId)
                .setPublicKey(ByteString.copyFrom(key.getPublic().getEncoded()))).build();
    }

    public String keyId() {
        return keyId;
    }

    /** Named by its content: a new key is a new id, so services fetch it instead of failing to verify. */
    static String keyId(byte[] publicKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}

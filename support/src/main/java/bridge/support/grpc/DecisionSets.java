package bridge.support.grpc;

import bridge.proto.consent.v1.Decision;
import bridge.proto.consent.v1.DecisionSet;
import bridge.proto.consent.v1.SignedDecisionSet;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.Metadata;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Signed decision sets on the wire (ADR 0012): the metadata header that carries one with a request,
 * signing (the consent service) and verifying (every enforcement point). A set is verified over the
 * exact bytes that were signed, with the consent service's public key named by its key id; one that
 * does not verify, or does not parse, is no set at all.
 */
public final class DecisionSets {

    /** The header a request's decision set travels in, from the gateway to every service it calls. */
    public static final Metadata.Key<byte[]> METADATA_KEY =
            Metadata.Key.of("bridge-decision-set-bin", Metadata.BINARY_BYTE_MARSHALLER);
    /** A set for all twelve categories is a few hundred bytes; anything far larger is not one. */
    static final int MAX_BYTES = 8 * 1024;
    static final Context.Key<byte[]> CONTEXT_KEY = Context.key("bridge-decision-set");
    /**
     * RSA (2048-bit keys) with SHA-256, as the identity provider signs tokens (RS256): one signature per
     * shared record but a verification in every service that reads it, and with the JDK's providers an
     * RSA verification costs about 0.06 ms of CPU against about 1 ms for Ed25519 or ECDSA P-256
     * (ADR 0012).
     */
    static final String ALGORITHM = "SHA256withRSA";
    /** The key algorithm of {@link #ALGORITHM}. */
    static final String KEY_ALGORITHM = "RSA";

    private DecisionSets() {
    }

    /** The decision set the current call carried, as received (unverified), or null. */
    public static byte[] current() {
        return CONTEXT_KEY.get();
    }

    /** Signs a decision set with the consent service's private key. */
    public static SignedDecisionSet sign(DecisionSet set, PrivateKey key, String keyId) {
        ByteString bytes = set.toByteString();
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(bytes.toByteArray());
            return SignedDecisionSet.newBuilder().setDecisionSet(bytes)
                    .setSignature(ByteString.copyFrom(signer.sign())).setKeyId(keyId).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a decision set with key " + keyId, e);
        }
    }

    /**
     * The set in these header bytes if its signature verifies under the named key, else null: no such
     * key, a signature that does not match the bytes, bytes that are not a set.
     *
     * @param keys the public key for a key id, or null when unknown
     */
    public static bridge.support.consent.DecisionSet verify(byte[] header, Function<String, PublicKey> keys) {
        if (header == null || header.length == 0 || header.length > MAX_BYTES) {
            return null;
        }
        try {
            SignedDecisionSet signed = SignedDecisionSet.parseFrom(header);
            PublicKey key = signed.getKeyId().isEmpty() ? null : keys.apply(signed.getKeyId());
            if (key == null) {
                return null;
            }
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(signed.getDecisionSet().toByteArray());
            if (!verifier.verify(signed.getSignature().toByteArray())) {
                return null;
            }
            return plain(DecisionSet.parseFrom(signed.getDecisionSet()));
        } catch (InvalidProtocolBufferException | GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The verified set in plain terms; null when it names something this build does not know. */
    private static bridge.support.consent.DecisionSet plain(DecisionSet set) {
        String person = set.getPerson().startsWith("people/") ? set.getPerson().substring("people/".length()) : null;
        if (person == null || person.isEmpty() || !set.hasIssueTime() || !set.hasExpireTime()) {
            return null;
        }
        Purpose purpose = switch (set.getPurpose()) {
            case PURPOSE_DIRECT_SUPPORT -> Purpose.DIRECT_SUPPORT;
            case PURPOSE_REFERRAL -> Purpose.REFERRAL;
            case PURPOSE_RISK_MANAGEMENT -> Purpose.RISK_MANAGEMENT;
            default -> null;
        };
        if (purpose == null) {
            return null;
        }
        Map<DataCategory, Boolean> decisions = new EnumMap<>(DataCategory.class);
        for (Decision d : set.getDecisionsList()) {
            String name = d.getCategory().name();
            if (!name.startsWith("DATA_CATEGORY_") || d.getCategory() == bridge.proto.common.v1.DataCategory.DATA_CATEGORY_UNSPECIFIED) {
                return null;
            }
            DataCategory category = DataCategory.valueOf(name.substring("DATA_CATEGORY_".length()));
            if (decisions.put(category, d.getAllowed()) != null) {
                return null;
            }
        }
        return new bridge.support.consent.DecisionSet(set.getSubject(), set.getAgency(), person, purpose, decisions,
                set.getRequestId(), instant(set.getIssueTime()), instant(set.getExpireTime()));
    }

    private static Instant instant(com.google.protobuf.Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}

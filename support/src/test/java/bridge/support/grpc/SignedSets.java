package bridge.support.grpc;

import bridge.proto.consent.v1.Decision;
import bridge.proto.consent.v1.DecisionKey;
import bridge.proto.consent.v1.DecisionSet;
import bridge.proto.consent.v1.ListDecisionKeysResponse;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/** Decision sets signed as the consent service signs them, for tests of their verification. */
final class SignedSets {

    static final String KEY_ID = "key-1";

    private SignedSets() {
    }

    static KeyPair newKey() {
        try {
            return KeyPairGenerator.getInstance("RSA").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ListDecisionKeysResponse published(KeyPair key, String keyId) {
        return ListDecisionKeysResponse.newBuilder().addKeys(DecisionKey.newBuilder().setKeyId(keyId)
                .setPublicKey(ByteString.copyFrom(key.getPublic().getEncoded()))).build();
    }

    /** keyworker-1 of forward-leeds, person p-1, direct support, request req-1: HOUSING allowed, RISK denied. */
    static DecisionSet.Builder set(Instant issued) {
        return DecisionSet.newBuilder()
                .setSubject("keyworker-1").setAgency("forward-leeds").setPerson("people/p-1")
                .setPurpose(Purpose.PURPOSE_DIRECT_SUPPORT).setRequestId("req-1")
                .addDecisions(Decision.newBuilder().setCategory(DataCategory.DATA_CATEGORY_HOUSING).setAllowed(true))
                .addDecisions(Decision.newBuilder().setCategory(DataCategory.DATA_CATEGORY_RISK).setAllowed(false))
                .setIssueTime(at(issued)).setExpireTime(at(issued.plusSeconds(5)));
    }

    static byte[] signed(DecisionSet.Builder set, KeyPair key, String keyId) {
        return DecisionSets.sign(set.build(), key.getPrivate(), keyId).toByteArray();
    }

    static Timestamp at(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}

package bridge.support.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.consent.v1.Decision;
import bridge.proto.consent.v1.SignedDecisionSet;
import bridge.support.consent.DataCategory;
import bridge.support.consent.DecisionSet;
import bridge.support.consent.Purpose;
import bridge.support.time.MutableClock;
import com.google.protobuf.ByteString;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A carried decision set is used only when everything about it fits; each way it can fail to fit
 * (ADR 0012) makes the service ask the consent service instead.
 */
class DecisionSetsTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final List<DataCategory> HOUSING = List.of(DataCategory.HOUSING);

    final KeyPair key = SignedSets.newKey();
    final DecisionKeys keys = new DecisionKeys(() -> SignedSets.published(key, SignedSets.KEY_ID), Duration.ofSeconds(10),
            new MutableClock(NOW));

    DecisionSet verified(byte[] header) {
        return DecisionSets.verify(header, keys::find);
    }

    /** The refusal for keyworker-1 of forward-leeds asking about p-1's HOUSING in request req-1, now. */
    static String refusal(DecisionSet set) {
        return set.refusal("keyworker-1", "forward-leeds", "p-1", HOUSING, Purpose.DIRECT_SUPPORT, "req-1", NOW);
    }

    @Test
    void aSetThatFitsAnswersAsTheConsentServiceDid() {
        DecisionSet set = verified(SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID));
        assertThat(set).isNotNull();
        assertThat(refusal(set)).isNull();
        assertThat(set.answer(HOUSING).allowed()).isEqualTo(Map.of(DataCategory.HOUSING, true));
        assertThat(set.answer(List.of(DataCategory.HOUSING, DataCategory.RISK)).withheld())
                .containsExactly(DataCategory.RISK);
    }

    @Test
    void anyChangedByteBreaksTheSignature() {
        byte[] good = SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID);
        SignedDecisionSet parsed = parse(good);
        byte[] payload = parsed.getDecisionSet().toByteArray();
        for (int i = 0; i < payload.length; i++) {
            byte[] tampered = payload.clone();
            tampered[i] ^= 0x01;
            byte[] header = parsed.toBuilder().setDecisionSet(ByteString.copyFrom(tampered)).build().toByteArray();
            assertThat(verified(header)).as("byte %d of the set changed", i).isNull();
        }
        byte[] signature = parsed.getSignature().toByteArray();
        signature[0] ^= 0x01;
        assertThat(verified(parsed.toBuilder().setSignature(ByteString.copyFrom(signature)).build().toByteArray()))
                .isNull();
    }

    @Test
    void aDenyTurnedIntoAnAllowDoesNotVerify() {
        SignedDecisionSet parsed = parse(SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID));
        var forged = SignedSets.set(NOW).setDecisions(1, Decision.newBuilder()
                .setCategory(bridge.proto.common.v1.DataCategory.DATA_CATEGORY_RISK).setAllowed(true)).build();
        assertThat(verified(parsed.toBuilder().setDecisionSet(forged.toByteString()).build().toByteArray())).isNull();
    }

    @Test
    void aSetSignedWithAnotherKeyDoesNotVerify() {
        KeyPair other = SignedSets.newKey();
        // claims the consent service's key id, signed with another key
        assertThat(verified(SignedSets.signed(SignedSets.set(NOW), other, SignedSets.KEY_ID))).isNull();
        // names a key the consent service does not publish
        assertThat(verified(SignedSets.signed(SignedSets.set(NOW), other, "key-2"))).isNull();
    }

    @Test
    void unknownKeyIdsAreFetchedAtMostOncePerGap() {
        AtomicInteger fetches = new AtomicInteger();
        MutableClock clock = new MutableClock(NOW);
        DecisionKeys counted = new DecisionKeys(() -> {
            fetches.incrementAndGet();
            return SignedSets.published(key, SignedSets.KEY_ID);
        }, Duration.ofSeconds(10), clock);
        byte[] invented = SignedSets.signed(SignedSets.set(NOW), SignedSets.newKey(), "invented");
        for (int i = 0; i < 5; i++) {
            assertThat(DecisionSets.verify(invented, counted::find)).isNull();
        }
        assertThat(fetches).hasValue(1);
        // the real key was fetched with that one call: no more fetches for it
        assertThat(DecisionSets.verify(SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID), counted::find))
                .isNotNull();
        assertThat(fetches).hasValue(1);
        clock.advance(Duration.ofSeconds(11));
        assertThat(DecisionSets.verify(invented, counted::find)).isNull();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void whatIsNotASetIsNoSet() {
        assertThat(verified(null)).isNull();
        assertThat(verified(new byte[0])).isNull();
        assertThat(verified(new byte[] {1, 2, 3})).isNull();
        assertThat(verified(new byte[DecisionSets.MAX_BYTES + 1])).isNull();
        // signed, but not a set this build can read: an unknown purpose
        assertThat(verified(SignedSets.signed(SignedSets.set(NOW).setPurpose(
                bridge.proto.common.v1.Purpose.PURPOSE_UNSPECIFIED), key, SignedSets.KEY_ID))).isNull();
    }

    @Test
    void anotherPersonIsRefused() {
        DecisionSet set = verified(SignedSets.signed(SignedSets.set(NOW).setPerson("people/p-2"), key, SignedSets.KEY_ID));
        assertThat(refusal(set)).isEqualTo("OTHER_PERSON");
    }

    @Test
    void anotherCallerIsRefusedBySubjectAndByAgency() {
        DecisionSet otherSubject = verified(SignedSets.signed(SignedSets.set(NOW).setSubject("keyworker-2"), key,
                SignedSets.KEY_ID));
        assertThat(refusal(otherSubject)).isEqualTo("OTHER_CALLER");
        DecisionSet otherAgency = verified(SignedSets.signed(SignedSets.set(NOW).setAgency("change-grow-live"), key,
                SignedSets.KEY_ID));
        assertThat(refusal(otherAgency)).isEqualTo("OTHER_CALLER");
    }

    @Test
    void anotherPurposeIsRefused() {
        DecisionSet set = verified(SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID));
        assertThat(set.refusal("keyworker-1", "forward-leeds", "p-1", HOUSING, Purpose.REFERRAL, "req-1", NOW))
                .isEqualTo("OTHER_PURPOSE");
    }

    @Test
    void aSetFromAnotherRequestIsRefused() {
        DecisionSet set = verified(SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID));
        assertThat(set.refusal("keyworker-1", "forward-leeds", "p-1", HOUSING, Purpose.DIRECT_SUPPORT, "req-2", NOW))
                .isEqualTo("OTHER_REQUEST");
        DecisionSet noRequest = verified(SignedSets.signed(SignedSets.set(NOW).setRequestId(""), key, SignedSets.KEY_ID));
        assertThat(noRequest.refusal("keyworker-1", "forward-leeds", "p-1", HOUSING, Purpose.DIRECT_SUPPORT, "", NOW))
                .isEqualTo("OTHER_REQUEST");
    }

    @Test
    void anExpiredSetIsRefusedAndSoIsOneFromTheFuture() {
        DecisionSet set = verified(SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID));
        assertThat(set.refusal("keyworker-1", "forward-leeds", "p-1", HOUSING, Purpose.DIRECT_SUPPORT, "req-1",
                NOW.plusMillis(4_999))).isNull();
        assertThat(set.refusal("keyworker-1", "forward-leeds", "p-1", HOUSING, Purpose.DIRECT_SUPPORT, "req-1",
                NOW.plusSeconds(5))).isEqualTo("EXPIRED");
        DecisionSet future = verified(SignedSets.signed(SignedSets.set(NOW.plusSeconds(60)), key, SignedSets.KEY_ID));
        assertThat(refusal(future)).isEqualTo("EXPIRED");
    }

    @Test
    void aCategoryTheSetDidNotDecideIsRefused() {
        DecisionSet set = verified(SignedSets.signed(SignedSets.set(NOW), key, SignedSets.KEY_ID));
        assertThat(set.refusal("keyworker-1", "forward-leeds", "p-1", List.of(DataCategory.HOUSING,
                DataCategory.MENTAL_HEALTH), Purpose.DIRECT_SUPPORT, "req-1", NOW)).isEqualTo("CATEGORY_NOT_DECIDED");
    }

    private static SignedDecisionSet parse(byte[] header) {
        try {
            return SignedDecisionSet.parseFrom(header);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}

package bridge.referrals.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The verifier integrators copy: genuine and fresh passes; tampering, another secret, staleness and junk do not. */
class WebhookSignaturesTest {

    static final String SECRET = "3f1c9a0d5b7e4c2a8f6d1e0b9a7c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c";
    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final byte[] BODY = "{\"id\":\"s1:r1:t1\",\"type\":\"referral.state_changed\",\"status\":\"ACCEPTED\"}"
            .getBytes(StandardCharsets.UTF_8);
    static final String TS = Long.toString(NOW.getEpochSecond());
    static final String SIGNATURE = WebhookSignatures.sign(SECRET, NOW.getEpochSecond(), BODY);

    static String problem(String secret, String ts, String sig, byte[] body, Instant now) {
        return WebhookSignatures.problem(secret, ts, sig, body, now, WebhookSignatures.DEFAULT_TOLERANCE);
    }

    @Test
    void aGenuineFreshDeliveryPasses() {
        assertThat(SIGNATURE).matches("v1=[0-9a-f]{64}");
        assertThat(problem(SECRET, TS, SIGNATURE, BODY, NOW)).isNull();
        assertThat(WebhookSignatures.verify(SECRET, TS, SIGNATURE, BODY, NOW.plusSeconds(299), Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void aTamperedBodyFails() {
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("ACCEPTED", "REJECTED").getBytes(StandardCharsets.UTF_8);
        assertThat(problem(SECRET, TS, SIGNATURE, tampered, NOW)).contains("does not match");
    }

    @Test
    void theWrongSecretFails() {
        assertThat(problem(SECRET.replace('3', '4'), TS, SIGNATURE, BODY, NOW)).contains("does not match");
    }

    @Test
    void aStaleOrAlteredTimestampFails() {
        assertThat(problem(SECRET, TS, SIGNATURE, BODY, NOW.plusSeconds(301))).contains("tolerance");
        assertThat(problem(SECRET, TS, SIGNATURE, BODY, NOW.minusSeconds(301))).contains("tolerance");
        // moving the timestamp forward to pass the window breaks the signature instead
        String later = Long.toString(NOW.plusSeconds(3600).getEpochSecond());
        assertThat(problem(SECRET, later, SIGNATURE, BODY, NOW.plusSeconds(3600))).contains("does not match");
    }

    @Test
    void missingOrMalformedHeadersFail() {
        assertThat(problem(SECRET, null, SIGNATURE, BODY, NOW)).contains("missing");
        assertThat(problem(SECRET, TS, "sha256=abc", BODY, NOW)).contains("missing");
        assertThat(problem(SECRET, "yesterday", SIGNATURE, BODY, NOW)).contains("malformed");
        assertThat(problem(SECRET, TS, "v1=zz", BODY, NOW)).contains("malformed");
    }

    // Both made the verifier throw (IllegalArgumentException, DateTimeException); WebhookSignaturesFuzzTest
    // checks that no input does.

    @Test
    void anEmptySecretVerifiesNothing() {
        // anyone can compute an HMAC under an empty key
        assertThat(problem("", TS, SIGNATURE, BODY, NOW)).contains("no secret");
    }

    @Test
    void aGenuineSignatureOverATimestampBeyondTheCalendarIsStale() {
        for (long ts : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, Instant.MAX.getEpochSecond() + 1}) {
            String signature = WebhookSignatures.sign(SECRET, ts, BODY);
            assertThat(problem(SECRET, Long.toString(ts), signature, BODY, NOW)).contains("tolerance");
        }
    }
}

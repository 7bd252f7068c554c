package bridge.referrals.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.referrals.webhooks.WebhookSignatures;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Fuzzes the webhook verifier integrators copy ({@link WebhookSignatures#problem}) against an
 * independent oracle: HMAC-SHA256 written out from RFC 2104 over {@link MessageDigest} (not
 * {@code javax.crypto.Mac}), and the header rules of the class's documentation. For any secret,
 * timestamp header, signature header and body, the verifier never throws, and accepts exactly when
 * the signature is the HMAC under that (non-empty) secret over that timestamp and body, and the
 * timestamp is within the tolerance of now. Three shapes of input: anything at all in the headers;
 * a genuine delivery as Bridge sends it (accepted when fresh, refused as stale otherwise); a genuine
 * delivery with one thing changed by someone without the secret (body, timestamp, secret or a
 * signature digit: always refused).
 *
 * <p>In the normal test run this replays the committed corpus
 * ({@code src/test/resources/bridge/referrals/fuzz/WebhookSignaturesFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (docs/reliability.md).
 */
class WebhookSignaturesFuzzTest {

    static final long NOW = Instant.parse("2026-03-02T10:00:00Z").getEpochSecond();
    static final Duration TOLERANCE = WebhookSignatures.DEFAULT_TOLERANCE;
    static final HexFormat HEX = HexFormat.of();

    @FuzzTest(maxDuration = "30s")
    void onlyGenuineFreshDeliveriesAreAccepted(FuzzedDataProvider data) {
        int shape = data.consumeInt(0, 2);
        // mostly near now (fresh or just stale), sometimes any long at all
        long signedAt = data.consumeBoolean()
                ? NOW + data.consumeLong(-2 * TOLERANCE.toSeconds(), 2 * TOLERANCE.toSeconds())
                : data.consumeLong();
        String secret = data.consumeBoolean() ? "3f1c9a0d5b7e4c2a8f6d1e0b9a7c5d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c"
                : data.consumeString(100);
        String verifyWith = secret;
        String timestampHeader;
        String signatureHeader;
        byte[] body;
        boolean tampered = false;
        switch (shape) {
            case 0 -> {
                timestampHeader = data.consumeBoolean() ? Long.toString(signedAt) : data.consumeString(40);
                signatureHeader = (data.consumeBoolean() ? "v1=" : "") + data.consumeString(140);
                body = data.consumeRemainingAsBytes();
            }
            case 1 -> {
                body = data.consumeRemainingAsBytes();
                timestampHeader = Long.toString(signedAt);
                signatureHeader = "v1=" + HEX.formatHex(Hmac.sha256(utf8(secret), message(signedAt, body)));
                if (!secret.isEmpty()) {
                    assertThat(WebhookSignatures.sign(secret, signedAt, body)).isEqualTo(signatureHeader);
                }
            }
            default -> {
                int change = data.consumeInt(0, 3);
                int at = data.consumeInt(0, Integer.MAX_VALUE);
                long delta = data.consumeLong();
                String otherSecret = data.consumeString(100);
                byte[] signedBody = data.consumeRemainingAsBytes();
                String hex = HEX.formatHex(Hmac.sha256(utf8(secret), message(signedAt, signedBody)));
                body = signedBody;
                timestampHeader = Long.toString(signedAt);
                switch (change) {
                    case 0 -> body = changed(signedBody, at);
                    case 1 -> timestampHeader = Long.toString(delta == 0 ? signedAt + 1 : signedAt + delta);
                    case 2 -> {
                        if (Arrays.equals(Hmac.blockKey(utf8(otherSecret)), Hmac.blockKey(utf8(secret)))) {
                            // HMAC pads a key with zeros and hashes a long one: such keys are the same key
                            otherSecret = otherSecret + "x";
                        }
                        verifyWith = otherSecret;
                    }
                    default -> {
                        int i = at % hex.length();
                        int digit = Character.digit(hex.charAt(i), 16);
                        hex = hex.substring(0, i) + Character.forDigit((digit + 1 + at % 15) % 16, 16) + hex.substring(i + 1);
                    }
                }
                signatureHeader = "v1=" + hex;
                tampered = true;
            }
        }
        Instant now = Instant.ofEpochSecond(NOW);

        String problem = WebhookSignatures.problem(verifyWith, timestampHeader, signatureHeader, body, now, TOLERANCE);

        boolean genuineAndFresh = Oracle.genuineAndFresh(verifyWith, timestampHeader, signatureHeader, body, NOW,
                TOLERANCE.toSeconds());
        assertThat(problem == null).as("accepted (%s) vs oracle (%s): %s", problem, genuineAndFresh, shape)
                .isEqualTo(genuineAndFresh);
        assertThat(WebhookSignatures.verify(verifyWith, timestampHeader, signatureHeader, body, now, TOLERANCE))
                .isEqualTo(genuineAndFresh);
        if (tampered) {
            assertThat(problem).as("a changed delivery").isNotNull();
        }
        if (shape == 1 && !secret.isEmpty() && Math.abs((double) signedAt - NOW) > TOLERANCE.toSeconds()) {
            assertThat(problem).as("a genuine stale delivery").contains("tolerance");
        }
    }

    /** One byte flipped, appended or dropped. */
    private static byte[] changed(byte[] body, int at) {
        if (body.length == 0 || at % 3 == 1) {
            byte[] longer = Arrays.copyOf(body, body.length + 1);
            longer[body.length] = (byte) at;
            return longer;
        }
        if (at % 3 == 2) {
            return Arrays.copyOf(body, body.length - 1);
        }
        byte[] flipped = body.clone();
        flipped[at % body.length] ^= (byte) (1 << (at % 8));
        return flipped;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] message(long timestamp, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(timestamp + "."));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** The documented rules, independently: "v1=" + hex (either case) of the HMAC, a decimal timestamp, both trimmed. */
    static final class Oracle {

        static boolean genuineAndFresh(String secret, String timestampHeader, String signatureHeader, byte[] body,
                long now, long toleranceSeconds) {
            if (secret == null || secret.isEmpty() || timestampHeader == null || signatureHeader == null
                    || !signatureHeader.startsWith("v1=")) {
                return false;
            }
            long timestamp;
            try {
                timestamp = Long.parseLong(timestampHeader.trim());
            } catch (NumberFormatException e) {
                return false;
            }
            byte[] given = hex(signatureHeader.substring(3).trim());
            return given != null && Arrays.equals(given, Hmac.sha256(utf8(secret), message(timestamp, body)))
                    && timestamp >= now - toleranceSeconds && timestamp <= now + toleranceSeconds;
        }

        private static byte[] hex(String s) {
            if (s.length() % 2 != 0) {
                return null;
            }
            byte[] out = new byte[s.length() / 2];
            for (int i = 0; i < out.length; i++) {
                int hi = nibble(s.charAt(2 * i));
                int lo = nibble(s.charAt(2 * i + 1));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[i] = (byte) (hi << 4 | lo);
            }
            return out;
        }

        private static int nibble(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }
    }

    /** HMAC-SHA256 as RFC 2104 defines it, over the bare hash. */
    static final class Hmac {

        static final int BLOCK = 64;

        static byte[] blockKey(byte[] key) {
            return Arrays.copyOf(key.length > BLOCK ? sha256().digest(key) : key, BLOCK);
        }

        static byte[] sha256(byte[] key, byte[] message) {
            byte[] k = blockKey(key);
            byte[] inner = new byte[BLOCK];
            byte[] outer = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                inner[i] = (byte) (k[i] ^ 0x36);
                outer[i] = (byte) (k[i] ^ 0x5c);
            }
            MessageDigest in = sha256();
            in.update(inner);
            in.update(message);
            MessageDigest out = sha256();
            out.update(outer);
            out.update(in.digest());
            return out.digest();
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

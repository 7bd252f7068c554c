package bridge.referrals.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing and verifying Bridge referral webhook deliveries. JDK only, on purpose: integrators may
 * copy this one file into their own code base to verify what they receive.
 *
 * <p>Every delivery is an HTTP POST with a JSON body and three headers:
 * <pre>
 * Bridge-Webhook-Id:        the event's id; the same on every retry of it (deduplicate on it)
 * Bridge-Webhook-Timestamp: when this attempt was signed, in Unix seconds
 * Bridge-Webhook-Signature: v1=&lt;hex HMAC-SHA256(secret, timestamp + "." + body)&gt;
 * </pre>
 * The secret is the subscription's, as returned once when it was created (its UTF-8 bytes are the
 * HMAC key). A receiver accepts a delivery only when the signature matches (compared in constant
 * time) AND the timestamp is within its tolerance of its own clock (5 minutes is usual), so that a
 * captured delivery cannot be replayed later; within the tolerance, the id catches a replay.
 */
public final class WebhookSignatures {

    public static final String ID_HEADER = "Bridge-Webhook-Id";
    public static final String TIMESTAMP_HEADER = "Bridge-Webhook-Timestamp";
    public static final String SIGNATURE_HEADER = "Bridge-Webhook-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final String VERSION = "v1=";

    private WebhookSignatures() {
    }

    /** The signature header value for a body signed at {@code timestampSeconds}. */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        return VERSION + HexFormat.of().formatHex(hmac(secret, timestampSeconds, body));
    }

    /** Why a delivery is refused; null means it is genuine and fresh. */
    public static String problem(String secret, String timestampHeader, String signatureHeader, byte[] body, Instant now,
                                 Duration tolerance) {
        if (timestampHeader == null || signatureHeader == null || !signatureHeader.startsWith(VERSION)) {
            return "missing or malformed " + TIMESTAMP_HEADER + " or " + SIGNATURE_HEADER;
        }
        if (secret == null || secret.isEmpty()) {
            // anyone can compute an HMAC under an empty key: nothing signed with it is genuine
            return "no secret to verify with";
        }
        long timestamp;
        byte[] given;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
            given = HexFormat.of().parseHex(signatureHeader.substring(VERSION.length()).trim());
        } catch (IllegalArgumentException e) {
            return "malformed " + TIMESTAMP_HEADER + " or " + SIGNATURE_HEADER;
        }
        if (!MessageDigest.isEqual(given, hmac(secret, timestamp, body))) {
            return "signature does not match (wrong secret, or the body or timestamp was altered)";
        }
        // a timestamp beyond Instant's range (signed by the secret's holder, so only after the check above) is stale too
        if (timestamp < Instant.MIN.getEpochSecond() || timestamp > Instant.MAX.getEpochSecond()
                || Duration.between(Instant.ofEpochSecond(timestamp), now).abs().compareTo(tolerance) > 0) {
            return "timestamp outside the tolerance of " + tolerance + " (stale or replayed)";
        }
        return null;
    }

    /** Whether the delivery is genuine and fresh. */
    public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] body, Instant now,
                                 Duration tolerance) {
        return problem(secret, timestampHeader, signatureHeader, body, now, tolerance) == null;
    }

    private static byte[] hmac(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

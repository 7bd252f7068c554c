package bridge.support.partner;

import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to a partner system.
 *
 * @param path           relative to the partner's base URL, starting with "/"
 * @param idempotencyKey sent as the {@code Idempotency-Key} header; a POST is repeated by the
 *                       client only when it carries one (the partner deduplicates on it)
 * @param body           JSON text, or null for none
 */
public record PartnerRequest(String method, String path, String idempotencyKey, String body, Map<String, String> headers) {

    public PartnerRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static PartnerRequest get(String path) {
        return new PartnerRequest("GET", path, null, null, Map.of());
    }

    public static PartnerRequest post(String path, String idempotencyKey, String jsonBody) {
        return new PartnerRequest("POST", path, idempotencyKey, jsonBody, Map.of());
    }

    /** Safe to send again: a read, or a write the partner deduplicates by its key. */
    public boolean isRepeatable() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE" -> true;
            default -> idempotencyKey != null && !idempotencyKey.isBlank();
        };
    }
}

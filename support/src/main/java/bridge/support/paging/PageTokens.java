package bridge.support.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque page tokens: URL-safe base64 of {@code v1|<person id>|<sort key>|<id>}, the position after
 * the last item of a page. A token is bound to the list it came from (the person), so a token
 * from one person's list is refused on another's instead of silently skipping items.
 */
public final class PageTokens {

    private static final String VERSION = "v1";

    private PageTokens() {
    }

    public static String encode(String personId, String sortKey, String id) {
        String text = VERSION + "|" + personId + "|" + sortKey + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The sort key and id the token points after, or empty when it is not a token of this list. */
    public static Optional<String[]> decode(String token, String personId) {
        if (token.length() > 512) {
            return Optional.empty();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] parts = text.split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION) || !parts[1].equals(personId)
                || parts[2].isEmpty() || parts[3].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new String[] {parts[2], parts[3]});
    }
}

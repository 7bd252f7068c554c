package bridge.consent.domain;

import java.time.Instant;

/** A position in a list of consents ordered by creation time, then id: the last item already seen. */
public record ConsentCursor(Instant createdAt, String id) {
}

package bridge.housing.domain;

import java.time.LocalDate;

/** A position in a list ordered by release date, then id: the last item already seen. */
public record ReleasePlanCursor(LocalDate releaseDate, String id) {
}

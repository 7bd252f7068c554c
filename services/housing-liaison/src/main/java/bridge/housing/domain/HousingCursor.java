package bridge.housing.domain;

import java.time.LocalDate;

/** A position in a housing history ordered newest start date first, then by id: the last item already seen. */
public record HousingCursor(LocalDate startDate, String id) {
}

package bridge.housing.domain;

import bridge.support.calendar.Jurisdiction;
import java.time.LocalDate;

/**
 * What a caller supplies to make a release plan; validated by {@link ReleasePlanRules}.
 *
 * @param releaseDate  null when absent or not a calendar date (the adapter reports which)
 * @param jurisdiction null when unspecified (then taken from the local authority code)
 */
public record NewReleasePlan(LocalDate releaseDate, String releasingEstablishment, String localAuthorityCode,
                             Jurisdiction jurisdiction, String referral, String note) {
}

package bridge.housing.domain;

import java.time.LocalDate;

/**
 * What a caller supplies to record a housing situation; validated by {@link HousingRules}.
 *
 * @param status         null when the request named none
 * @param startDate      null when absent or not a calendar date (the adapter reports which)
 * @param localAuthority local housing authority, where known; may be empty
 */
public record NewHousingSituation(HousingStatus status, LocalDate startDate, String localAuthority, String note) {
}

package bridge.housing.domain;

import java.time.LocalDate;

/** What a caller supplies for a duty-to-refer notice; {@code expectedHomelessDate} null when absent. */
public record NewDutyToReferNotice(String authorityCode, String reason, LocalDate expectedHomelessDate,
                                   String contactPhone, String contactEmail, String contactNote, String referral) {
}

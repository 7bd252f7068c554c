package bridge.bench.gatling;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The referral the harness sends, in the seeding and in S3: a prison refers a person due for
 * release to community treatment (PATHWAY_CUSTODY_RELEASE_TREATMENT), with the pathway data the
 * referrals contract requires. The receiver may act on it only under the person's consent for
 * purpose REFERRAL covering {@link #CONSENT_CATEGORIES}, which the driver records while seeding.
 */
public final class CustodyReleaseReferral {

    /** The receiving treatment agency (the demo realm's forward-leeds). */
    public static final String PERFORMER = "forward-leeds";

    /** What a custody-release referral carries to the receiver: REFERRALS plus the pathway's categories. */
    public static final String CONSENT_CATEGORIES =
            "\"DATA_CATEGORY_REFERRALS\",\"DATA_CATEGORY_SUBSTANCE_USE\",\"DATA_CATEGORY_JUSTICE\"";

    private static final ZoneId UK = ZoneId.of("Europe/London");

    private CustodyReleaseReferral() {
    }

    /**
     * Six weeks from today (UK): well inside the 12 weeks before release in which planning is open,
     * and far enough ahead that a run crossing midnight still sends a valid date.
     */
    public static LocalDate releaseDate() {
        return LocalDate.now(UK).plusWeeks(6);
    }

    /** The CreateReferral body (REST, one line) for {@code person} ("people/{id}"). */
    public static String json(String person, LocalDate release, String reason) {
        return ("{\"person\":\"%s\",\"pathway\":\"PATHWAY_CUSTODY_RELEASE_TREATMENT\",\"performerAgency\":\"%s\","
                + "\"reason\":\"%s\",\"custodyRelease\":{\"releaseDate\":{\"year\":%d,\"month\":%d,\"day\":%d},"
                + "\"prison\":\"HMP Leeds\",\"treatmentInCustody\":[\"CUSTODY_TREATMENT_OPIOID_SUBSTITUTION_THERAPY\"]}}")
                .formatted(person, PERFORMER, reason.replace("\\", "\\\\").replace("\"", "\\\""), release.getYear(),
                        release.getMonthValue(), release.getDayOfMonth());
    }

    /**
     * The person's consent to share the referral with the receiver, for purpose REFERRAL only (so it
     * changes nothing in what the shared record, read for direct support, shows).
     */
    public static String consentJson() {
        return "{\"recipients\":[{\"agency\":\"" + PERFORMER + "\"}],\"categories\":[" + CONSENT_CATEGORIES
                + "],\"purposes\":[\"PURPOSE_REFERRAL\"],\"method\":\"CONSENT_METHOD_WRITTEN\"}";
    }
}

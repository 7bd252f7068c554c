package bridge.referrals.domain;

/**
 * Where a referral stands: the FHIR Task status values (http://hl7.org/fhir/task-status), with
 * their FHIR codes. A new referral is {@link #REQUESTED}; who may move it where is the table in {@link Transition}.
 */
public enum ReferralStatus {
    DRAFT("draft"),
    REQUESTED("requested"),
    RECEIVED("received"),
    ACCEPTED("accepted"),
    REJECTED("rejected"),
    IN_PROGRESS("in-progress"),
    ON_HOLD("on-hold"),
    COMPLETED("completed"),
    CANCELLED("cancelled"),
    FAILED("failed");

    private final String fhirCode;

    ReferralStatus(String fhirCode) {
        this.fhirCode = fhirCode;
    }

    /** The code FHIR uses for this status, e.g. {@code in-progress}. */
    public String fhirCode() {
        return fhirCode;
    }

    /** True once nothing more can happen to the referral. */
    public boolean isFinal() {
        return this == REJECTED || this == COMPLETED || this == CANCELLED || this == FAILED;
    }
}

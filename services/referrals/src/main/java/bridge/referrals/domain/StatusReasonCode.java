package bridge.referrals.domain;

/** Coded reasons for rejecting, holding, failing or cancelling a referral. */
public enum StatusReasonCode {
    PERSON_DECLINED,
    NOT_ELIGIBLE,
    NO_CAPACITY,
    OUT_OF_AREA,
    DUPLICATE,
    PERSON_NOT_CONTACTABLE,
    PERSON_IN_CUSTODY,
    PERSON_IN_HOSPITAL,
    PERSON_DIED,
    NEEDS_MET_ELSEWHERE,
    REFERRED_IN_ERROR,
    /** Anything else: the text must say what. */
    OTHER
}

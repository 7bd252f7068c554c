package bridge.referrals.domain;

/** The data a referral carries for its pathway (one record per pathway). */
public interface PathwayDetails {
}

package bridge.benefits.domain;

/**
 * Where a claim stands. A new claim is {@link #PREPARING} (ID, bank account, appointment booked
 * before release); the DWP side moves it on later.
 */
public enum ClaimStatus { PREPARING, SUBMITTED, AWAITING_DECISION, AWARDED, REFUSED, CLOSED }

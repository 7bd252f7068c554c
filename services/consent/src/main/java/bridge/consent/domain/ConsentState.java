package bridge.consent.domain;

/**
 * Where a consent version stands. {@link #ACTIVE} and {@link #WITHDRAWN} are stored on a version;
 * {@link #SUPERSEDED} follows from the registry's pointer having moved past a version;
 * {@link #EXPIRED} and {@link #NOT_YET_VALID} are never stored but computed when read, from
 * {@code validFrom}/{@code validUntil} and the service clock.
 */
public enum ConsentState { ACTIVE, WITHDRAWN, EXPIRED, NOT_YET_VALID, SUPERSEDED }

package bridge.consent.domain;

/**
 * Where a consent stands. {@link #ACTIVE} and {@link #WITHDRAWN} are stored; {@link #EXPIRED} is
 * never stored but computed when read, from {@code validUntil} and the clock.
 */
public enum ConsentState { ACTIVE, WITHDRAWN, EXPIRED }

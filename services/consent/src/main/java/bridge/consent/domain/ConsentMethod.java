package bridge.consent.domain;

/** How the person gave their consent. */
public enum ConsentMethod { WRITTEN, VERBAL, DIGITAL }

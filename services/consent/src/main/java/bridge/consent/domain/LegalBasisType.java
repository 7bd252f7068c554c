package bridge.consent.domain;

/** Why sharing without consent is lawful. */
public enum LegalBasisType { STATUTORY_DUTY, SERIOUS_IMMINENT_RISK_TO_LIFE, COURT_ORDER, SAFEGUARDING }

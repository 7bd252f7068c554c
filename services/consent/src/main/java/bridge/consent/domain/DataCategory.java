package bridge.consent.domain;

/** The unit of consent (DESIGN.md "Data category"). */
public enum DataCategory {
    IDENTITY, CONTACT, SUBSTANCE_USE, MENTAL_HEALTH, PHYSICAL_HEALTH, JUSTICE, HOUSING, BENEFITS,
    /** Risk of harm, overdose risk, safeguarding. */
    RISK,
    /** Children, carers. */
    FAMILY,
    REFERRALS,
    /** E.g. Outcomes Star readings. */
    OUTCOMES
}

package bridge.support.consent;

/** The unit of consent (DESIGN.md "Data category"). Plain Java so every domain can use it. */
public enum DataCategory {
    IDENTITY, CONTACT, SUBSTANCE_USE, MENTAL_HEALTH, PHYSICAL_HEALTH, JUSTICE, HOUSING, BENEFITS,
    /** Risk of harm, overdose risk, safeguarding. */
    RISK,
    /** Children, carers. */
    FAMILY, REFERRALS, OUTCOMES;

    /** Health and treatment information: never reaches POLICE without explicit, named consent. */
    public boolean isHealth() {
        return this == SUBSTANCE_USE || this == MENTAL_HEALTH || this == PHYSICAL_HEALTH;
    }
}

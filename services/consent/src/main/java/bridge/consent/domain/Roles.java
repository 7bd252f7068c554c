package bridge.consent.domain;

import bridge.support.identity.Caller;

/**
 * Realm roles this service acts on (ADR 0003). A data-protection officer holds the role across the
 * partnership, whatever agency their account belongs to (the demo realm's {@code dpo} user belongs to
 * the PLATFORM agency): the role, not the agency type, opens the oversight functions (review queue,
 * reading and withdrawing any consent, access records, audit verification). It never opens Decide:
 * a DPO's own agency is decided on like any other.
 */
public final class Roles {

    public static final String DATA_PROTECTION_OFFICER = "data-protection-officer";
    public static final String PLATFORM_OPERATOR = "platform-operator";

    private Roles() {
    }

    public static boolean isDpo(Caller caller) {
        return caller.hasRole(DATA_PROTECTION_OFFICER);
    }
}

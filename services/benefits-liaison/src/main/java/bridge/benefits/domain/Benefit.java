package bridge.benefits.domain;

/** The benefits a claim can be for. */
public enum Benefit { UNIVERSAL_CREDIT, PERSONAL_INDEPENDENCE_PAYMENT, EMPLOYMENT_AND_SUPPORT_ALLOWANCE, HOUSING_COSTS }

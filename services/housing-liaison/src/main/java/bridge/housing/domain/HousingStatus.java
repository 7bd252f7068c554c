package bridge.housing.domain;

/** Where the person lives, or sleeps (DESIGN.md "Housing liaison"). */
public enum HousingStatus {
    ROUGH_SLEEPING,
    NO_FIXED_ABODE,
    HOSTEL,
    TEMPORARY,
    SUPPORTED,
    SETTLED_TENANCY,
    HOUSING_FIRST_TENANCY,
    IN_CUSTODY,
    /** Tenancy may be kept while in residential rehab. */
    IN_RESIDENTIAL_REHAB
}

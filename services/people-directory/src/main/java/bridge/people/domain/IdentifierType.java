package bridge.people.domain;

/** Identifier schemes of partner systems (DESIGN.md "Person"). */
public enum IdentifierType {
    NHS_NUMBER, CHI_NUMBER, NATIONAL_INSURANCE_NUMBER, PNC_ID, PRISON_NUMBER, CRO_NUMBER, AGENCY_CASE_REFERENCE;

    /**
     * National schemes issued once per person, checked by a check character or a fixed format: an exact
     * match is strong evidence of the same person (ADR 0007). An agency's case reference is not: it is
     * only unique inside that agency.
     */
    public boolean isStrong() {
        return this != AGENCY_CASE_REFERENCE;
    }
}

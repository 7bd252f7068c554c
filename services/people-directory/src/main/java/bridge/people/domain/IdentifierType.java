package bridge.people.domain;

/** Identifier schemes of partner systems (DESIGN.md "Person"). */
public enum IdentifierType {
    NHS_NUMBER, CHI_NUMBER, NATIONAL_INSURANCE_NUMBER, PNC_ID, PRISON_NUMBER, CRO_NUMBER, AGENCY_CASE_REFERENCE
}

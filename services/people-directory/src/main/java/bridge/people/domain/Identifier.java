package bridge.people.domain;

/**
 * An identifier from a partner system, stored normalised.
 *
 * @param issuingAgency for agency case references, whose reference it is; empty otherwise
 */
public record Identifier(IdentifierType type, String value, String issuingAgency) {
}

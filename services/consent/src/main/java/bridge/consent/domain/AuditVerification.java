package bridge.consent.domain;

/**
 * The result of walking the audit chain.
 *
 * @param entriesChecked   entries read, up to and including the first bad one
 * @param firstBadSequence the first entry altered, removed or reordered; 0 when intact
 * @param problem          what is wrong there, empty when intact; names no personal data
 * @param lastHash         hash of the last entry that verified (the chain's head when intact), to
 *                         compare with a copy kept elsewhere: a chain alone cannot show that its
 *                         newest entries were cut off
 */
public record AuditVerification(boolean intact, long entriesChecked, long firstBadSequence, Problem kind,
                                String problem, String lastHash) {

    public enum Problem { NONE, ALTERED, REMOVED, REORDERED }
}

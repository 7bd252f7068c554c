package bridge.support.calendar;

/** The bank-holiday calendars the partnership works to (Northern Ireland is not yet served). */
public enum Jurisdiction {
    ENGLAND_AND_WALES,
    SCOTLAND;

    /**
     * The calendar of a local authority by its ONS GSS code: E (England) and W (Wales) share one,
     * S is Scotland. Empty when the code names neither.
     */
    public static java.util.Optional<Jurisdiction> ofAuthorityCode(String gssCode) {
        if (gssCode == null || gssCode.isEmpty()) {
            return java.util.Optional.empty();
        }
        return switch (gssCode.charAt(0)) {
            case 'E', 'W' -> java.util.Optional.of(ENGLAND_AND_WALES);
            case 'S' -> java.util.Optional.of(SCOTLAND);
            default -> java.util.Optional.empty();
        };
    }
}

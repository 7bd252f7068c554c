package bridge.support.identity;

/** Who did something, on behalf of which agency: stored with every record and transition. */
public record Actor(String subject, String agency, AgencyType agencyType) {

    public static Actor of(Caller caller) {
        return new Actor(caller.subject(), caller.agency(), caller.agencyType());
    }
}

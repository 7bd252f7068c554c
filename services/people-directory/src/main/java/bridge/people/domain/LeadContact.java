package bridge.people.domain;

/** The named worker to contact at a care-team agency: their work details, not the person's. */
public record LeadContact(String displayName, String phone, String email) {

    public static final LeadContact NONE = new LeadContact("", "", "");

    public LeadContact {
        displayName = displayName == null ? "" : displayName;
        phone = phone == null ? "" : phone;
        email = email == null ? "" : email;
    }
}

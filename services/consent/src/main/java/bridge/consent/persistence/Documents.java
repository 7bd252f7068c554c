package bridge.consent.persistence;

import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import org.bson.Document;

/** Shared document shapes. */
final class Documents {

    private Documents() {
    }

    static Document actor(Actor a) {
        return a == null ? null : new Document("subject", a.subject()).append("agency", a.agency())
                .append("agencyType", a.agencyType().name());
    }

    static Actor actor(Document d) {
        return d == null ? null
                : new Actor(d.getString("subject"), d.getString("agency"), AgencyType.valueOf(d.getString("agencyType")));
    }
}

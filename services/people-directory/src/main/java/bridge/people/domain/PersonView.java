package bridge.people.domain;

import bridge.support.consent.DataCategory;
import java.util.Set;

/** A person as one caller may see them, and the categories withheld from that caller (names only). */
public record PersonView(Person person, Set<DataCategory> withheld) {

    public PersonView {
        withheld = Set.copyOf(withheld);
    }
}

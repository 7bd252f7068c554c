package bridge.people.domain;

import bridge.support.consent.DataCategory;
import bridge.support.identity.AgencyType;
import java.util.Set;

/**
 * A care-team entry itself reveals something: that a drug treatment service is involved is
 * SUBSTANCE_USE information, a health service MENTAL_HEALTH / PHYSICAL_HEALTH, probation JUSTICE.
 * An entry is shown only when every category it reveals is allowed.
 */
public final class CareTeamCategories {

    private CareTeamCategories() {
    }

    /**
     * Every category some care-team entry can reveal. A read asks about all of them, whatever the
     * care team holds, so that which categories are named as withheld never tells whether an entry
     * of that kind exists.
     */
    public static Set<DataCategory> all() {
        Set<DataCategory> all = java.util.EnumSet.noneOf(DataCategory.class);
        for (AgencyType t : AgencyType.values()) {
            if (t != AgencyType.PLATFORM) {
                all.addAll(revealedBy(t));
            }
        }
        return all;
    }

    public static Set<DataCategory> revealedBy(AgencyType type) {
        return switch (type) {
            case POLICE, PROBATION, PRISON, COURT -> Set.of(DataCategory.JUSTICE);
            case TREATMENT -> Set.of(DataCategory.SUBSTANCE_USE);
            // a health team may be mental or physical health: both must be allowed
            case HEALTH -> Set.of(DataCategory.MENTAL_HEALTH, DataCategory.PHYSICAL_HEALTH);
            case HOUSING -> Set.of(DataCategory.HOUSING);
            case BENEFITS -> Set.of(DataCategory.BENEFITS);
            // peer navigators in this partnership are recovery (lived-experience) services
            case PEER_SUPPORT -> Set.of(DataCategory.SUBSTANCE_USE);
            case SOCIAL_CARE -> Set.of(DataCategory.FAMILY);
            case PLATFORM -> Set.of(DataCategory.IDENTITY);
        };
    }
}

package bridge.support.consent;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The consent service's answer for one person, caller and purpose: which categories are allowed. */
public record Decisions(Map<DataCategory, Boolean> allowed) {

    public Decisions {
        allowed = Map.copyOf(allowed);
    }

    /** The caller's own records need no decision. */
    public static Decisions allowAll() {
        Map<DataCategory, Boolean> all = new EnumMap<>(DataCategory.class);
        for (DataCategory c : DataCategory.values()) {
            all.put(c, true);
        }
        return new Decisions(all);
    }

    /** Anything not decided is denied (default deny). */
    public boolean allows(DataCategory category) {
        return Boolean.TRUE.equals(allowed.get(category));
    }

    /** Categories asked about and denied: shown to the caller by name only, so a worker knows to ask. */
    public Set<DataCategory> withheld() {
        Set<DataCategory> out = EnumSet.noneOf(DataCategory.class);
        allowed.forEach((c, ok) -> {
            if (!ok) {
                out.add(c);
            }
        });
        return out;
    }
}

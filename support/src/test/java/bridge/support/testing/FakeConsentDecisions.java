package bridge.support.testing;

import bridge.support.consent.ConsentDecisions;
import bridge.support.consent.DataCategory;
import bridge.support.consent.Decisions;
import bridge.support.consent.Purpose;
import bridge.support.identity.CurrentCaller;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the consent service in a service's own tests: grants are set per (agency, person)
 * and read at every call, so "withdrawal honoured on the next request" holds here too. Records the
 * calls so tests can assert a decision was asked for. The end-to-end suite uses the real service.
 */
public final class FakeConsentDecisions implements ConsentDecisions {

    private final Map<String, Set<DataCategory>> grants = new ConcurrentHashMap<>();
    private final java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void grant(String agency, String personId, DataCategory... categories) {
        grants.put(agency + "|" + personId, Set.of(categories));
    }

    public void withdrawAll() {
        grants.clear();
    }

    public java.util.List<String> calls() {
        return calls;
    }

    @Override
    public Decisions decide(String personId, Collection<DataCategory> categories, Purpose purpose) {
        String agency = CurrentCaller.get().agency();
        calls.add(agency + "|" + personId + "|" + purpose + "|" + categories);
        Set<DataCategory> allowed = grants.getOrDefault(agency + "|" + personId, Set.of());
        Map<DataCategory, Boolean> out = new EnumMap<>(DataCategory.class);
        for (DataCategory c : categories) {
            out.put(c, allowed.contains(c));
        }
        return new Decisions(out);
    }
}

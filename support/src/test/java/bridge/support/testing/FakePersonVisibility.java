package bridge.support.testing;

import bridge.support.identity.CurrentCaller;
import bridge.support.people.PersonVisibility;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the people directory in a service's own tests: every person is visible unless a
 * test hides it from an agency.
 */
public final class FakePersonVisibility implements PersonVisibility {

    private final Set<String> hidden = ConcurrentHashMap.newKeySet();

    public void hide(String agency, String personId) {
        hidden.add(agency + "|" + personId);
    }

    @Override
    public boolean isVisible(String personId) {
        return !hidden.contains(CurrentCaller.get().agency() + "|" + personId);
    }
}

package bridge.support.consent;

import java.util.Collection;

/**
 * The policy decision point, as every enforcement point sees it: may the current caller's agency
 * see other agencies' data of these categories about this person, for this purpose? The consent
 * service answers and audits each decision; callers must not cache answers (withdrawal takes
 * effect on the next request). Fails closed: if no decision can be had, the data is not returned.
 */
public interface ConsentDecisions {

    Decisions decide(String personId, Collection<DataCategory> categories, Purpose purpose);
}

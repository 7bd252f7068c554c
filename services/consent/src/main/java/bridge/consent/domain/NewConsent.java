package bridge.consent.domain;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a caller supplies to record a consent; validated by {@link ConsentRules}. Lists may hold
 * nulls where the request named no value (an UNSPECIFIED enum), so that the rules can name the
 * offending position.
 *
 * @param validFrom  null means "from now"
 * @param validUntil null means "until withdrawn"
 */
public record NewConsent(List<Recipient> recipients, List<DataCategory> categories, List<Purpose> purposes,
                         Instant validFrom, Instant validUntil, ConsentMethod method, String capacityNote) {

    public NewConsent {
        recipients = Collections.unmodifiableList(new ArrayList<>(recipients));
        categories = Collections.unmodifiableList(new ArrayList<>(categories));
        purposes = Collections.unmodifiableList(new ArrayList<>(purposes));
    }
}

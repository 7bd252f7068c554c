package bridge.consent.domain;

import bridge.support.consent.DataCategory;
import bridge.support.consent.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a caller supplies to record a legal basis; validated by {@link LegalBasisRules}. Nulls stand
 * for values the request left UNSPECIFIED, so that the rules can name the field.
 */
public record NewLegalBasis(LegalBasisType type, String recipientAgency, List<DataCategory> categories,
                            List<Purpose> purposes, String justification, Instant validUntil) {

    public NewLegalBasis {
        categories = Collections.unmodifiableList(new ArrayList<>(categories));
        purposes = Collections.unmodifiableList(new ArrayList<>(purposes));
    }
}

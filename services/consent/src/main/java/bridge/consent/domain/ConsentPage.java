package bridge.consent.domain;

import java.util.List;

/**
 * One page of a person's consents.
 *
 * @param nextPageToken empty on the last page
 */
public record ConsentPage(List<Consent> consents, String nextPageToken) {

    public ConsentPage {
        consents = List.copyOf(consents);
    }
}

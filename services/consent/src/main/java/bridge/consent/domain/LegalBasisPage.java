package bridge.consent.domain;

import java.util.List;

/** One page of legal bases; {@code nextPageToken} is empty on the last page. */
public record LegalBasisPage(List<LegalBasis> legalBases, String nextPageToken) {

    public LegalBasisPage {
        legalBases = List.copyOf(legalBases);
    }
}

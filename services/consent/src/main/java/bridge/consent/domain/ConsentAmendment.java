package bridge.consent.domain;

import java.util.List;

/**
 * An amendment request: the fields to change (contract field names, as in the update mask), their
 * new values, and the etag of the version the caller read.
 */
public record ConsentAmendment(List<String> updateMask, NewConsent values, String etag) {

    /** The fields an amendment may change (AmendConsentRequest.update_mask). */
    public static final List<String> UPDATABLE = List.of(
            "recipients", "categories", "purposes", "valid_from", "valid_until", "method", "capacity_note");

    public ConsentAmendment {
        updateMask = List.copyOf(updateMask);
        etag = etag == null ? "" : etag;
    }
}

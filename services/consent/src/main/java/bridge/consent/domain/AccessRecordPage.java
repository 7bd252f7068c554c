package bridge.consent.domain;

import java.util.List;

/** One page of a person's access records, newest first; {@code nextPageToken} empty on the last page. */
public record AccessRecordPage(List<AuditEntry> entries, String nextPageToken) {

    public AccessRecordPage {
        entries = List.copyOf(entries);
    }
}

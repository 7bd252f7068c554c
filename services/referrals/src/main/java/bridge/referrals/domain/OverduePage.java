package bridge.referrals.domain;

import java.util.List;

/** One page of an agency's overdue referrals; {@code nextPageToken} is empty on the last page. */
public record OverduePage(List<Overdue> overdue, String nextPageToken) {

    public OverduePage {
        overdue = List.copyOf(overdue);
    }
}

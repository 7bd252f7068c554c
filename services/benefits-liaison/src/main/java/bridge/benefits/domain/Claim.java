package bridge.benefits.domain;

import bridge.support.identity.Actor;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A benefit claim for the person, as the agency preparing it recorded it.
 *
 * @param version 1 when opened; every change adds one (the etag)
 * @param history every status the claim has had, oldest first; the last entry is {@code status}
 * @param dwpClaimId DWP's id of the claim once DWP received the submission; empty before
 * @param expectedFirstPayment when DWP expects to make the first payment; null while DWP has not said
 */
public record Claim(String id, String personId, Benefit benefit, ClaimStatus status, Actor recordedBy,
                    Instant createdAt, Instant updatedAt, long version, List<ClaimStatusChange> history,
                    String dwpClaimId, LocalDate expectedFirstPayment) {

    public Claim {
        history = history == null ? List.of() : List.copyOf(history);
        dwpClaimId = dwpClaimId == null ? "" : dwpClaimId;
    }

    /** DWP received the submission and calls the claim {@code dwpClaimId}. */
    public Claim receivedByDwp(String dwpClaimId, Instant at) {
        return new Claim(id, personId, benefit, status, recordedBy, createdAt, at, version + 1, history, dwpClaimId,
                expectedFirstPayment);
    }

    /** This claim moved on to {@code change.status()}, one version later. */
    public Claim withStatus(ClaimStatusChange change) {
        List<ClaimStatusChange> longer = new ArrayList<>(history);
        longer.add(change);
        return new Claim(id, personId, benefit, change.status(), recordedBy, createdAt, change.at(), version + 1, longer,
                dwpClaimId, expectedFirstPayment);
    }
}

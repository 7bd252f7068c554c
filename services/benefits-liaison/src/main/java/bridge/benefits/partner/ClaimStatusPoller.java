package bridge.benefits.partner;

import bridge.benefits.domain.Claim;
import bridge.benefits.domain.ClaimPreparations;
import bridge.benefits.domain.ClaimRepository;
import bridge.benefits.domain.Claims;
import bridge.support.partner.PartnerOutcome;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks DWP where the claims it holds stand and records what changed: a new status in the claim's
 * history, and the expected first payment date, which also goes to the matching claim preparation
 * so that its payment-gap alert follows DWP. A read, so safe to repeat; the partner client's
 * breaker keeps the polling loop off DWP while it is down.
 */
public final class ClaimStatusPoller {

    private static final Logger log = LoggerFactory.getLogger(ClaimStatusPoller.class);

    private final DwpClaimsApi api;
    private final ClaimRepository repository;
    private final Claims claims;
    private final ClaimPreparations preparations;
    private final Clock clock;

    public ClaimStatusPoller(DwpClaimsApi api, ClaimRepository repository, Claims claims, ClaimPreparations preparations,
                             Clock clock) {
        this.api = api;
        this.repository = repository;
        this.claims = claims;
        this.preparations = preparations;
        this.clock = clock;
    }

    /** One round over up to {@code batch} claims awaiting DWP; returns how many changed. */
    public int runOnce(int batch) {
        int changed = 0;
        for (Claim c : repository.awaitingDwp(batch)) {
            PartnerOutcome<DwpClaimsApi.DwpClaim> outcome = api.status(c.dwpClaimId());
            repository.checkedWithDwp(c.id(), clock.instant());
            if (outcome instanceof PartnerOutcome.Success<DwpClaimsApi.DwpClaim> s) {
                Optional<Claim> now = claims.reportedByDwp(c.id(), s.value().status(), s.value().expectedFirstPayment());
                if (now.isPresent()) {
                    changed++;
                }
                if (s.value().expectedFirstPayment() != null) {
                    preparations.firstPaymentExpected(c.personId(), c.recordedBy().agency(), c.benefit(),
                            s.value().expectedFirstPayment());
                }
            } else {
                log.debug("status of claim {} not available: {}", c.id(), outcome);
            }
        }
        return changed;
    }
}

package bridge.housing.partner;

import bridge.housing.domain.DutyToRefer;
import bridge.housing.domain.DutyToReferNotice;
import bridge.housing.domain.DutyToReferRepository;
import bridge.support.partner.PartnerOutcome;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the authorities where sent notices stand (acknowledged, assessment, outcome) and records
 * what changed. A read, so safe to repeat; the partner client's breaker keeps a polling loop off an
 * authority that is down.
 */
public final class NoticeStatusPoller {

    private static final Logger log = LoggerFactory.getLogger(NoticeStatusPoller.class);

    private final HousingAuthorityApi api;
    private final DutyToReferRepository repository;
    private final DutyToRefer notices;
    private final Clock clock;

    public NoticeStatusPoller(HousingAuthorityApi api, DutyToReferRepository repository, DutyToRefer notices, Clock clock) {
        this.api = api;
        this.repository = repository;
        this.notices = notices;
        this.clock = clock;
    }

    /** One round over up to {@code batch} notices awaiting the authority; returns how many changed. */
    public int runOnce(int batch) {
        int changed = 0;
        for (DutyToReferNotice n : repository.awaitingAuthority(batch)) {
            PartnerOutcome<HousingAuthorityApi.NoticeReport> outcome = api.status(n.authorityCode(), n.authorityNoticeId());
            repository.checked(n.id(), clock.instant());
            if (outcome instanceof PartnerOutcome.Success<HousingAuthorityApi.NoticeReport> s
                    && s.value().status() != n.status()
                    && notices.progressed(n.id(), s.value().status(), s.value().outcome())) {
                changed++;
            } else if (!(outcome instanceof PartnerOutcome.Success)) {
                log.debug("status of notice {} not available: {}", n.id(), outcome);
            }
        }
        return changed;
    }
}

package bridge.housing.partner;

import bridge.housing.domain.DutyToRefer;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.identity.Caller;
import bridge.support.outbox.Outbox;
import bridge.support.outbox.OutboxMessage;
import bridge.support.outbox.OutboxStatus;
import java.util.List;

/**
 * The operators' view of deliveries that failed for good: list and replay, for the realm role
 * platform-operator only. Replay keeps the message's idempotency key, so an authority that did
 * receive the notice before keeps one; the notice goes back to QUEUED.
 */
public final class DeadLetters {

    public static final String OPERATOR_ROLE = "platform-operator";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Outbox outbox;
    private final DutyToRefer notices;

    public DeadLetters(Outbox outbox, DutyToRefer notices) {
        this.outbox = outbox;
        this.notices = notices;
    }

    public List<OutboxMessage> list(Caller caller, int pageSize) {
        requireOperator(caller);
        int limit = pageSize <= 0 ? DEFAULT_LIMIT : Math.min(pageSize, MAX_LIMIT);
        return outbox.deadLetters(OutboxNoticeDeliveries.CHANNEL, limit);
    }

    public OutboxMessage replay(Caller caller, String id) {
        requireOperator(caller);
        OutboxMessage message = outbox.find(id).filter(m -> m.channel().equals(OutboxNoticeDeliveries.CHANNEL))
                .orElseThrow(() -> new NotFoundException("DEAD_LETTER_NOT_FOUND", "housing/deadLetters/" + id + " not found"));
        if (message.status() != OutboxStatus.DEAD || !outbox.replay(id)) {
            throw new FailedPreconditionException("NOT_A_DEAD_LETTER",
                    "housing/deadLetters/" + id + " is " + message.status() + ", not dead: nothing to replay");
        }
        String noticeId = message.attributes().get("noticeId");
        if (noticeId != null) {
            notices.requeued(noticeId);
        }
        return outbox.find(id).orElseThrow();
    }

    private static void requireOperator(Caller caller) {
        if (!caller.hasRole(OPERATOR_ROLE)) {
            throw new PermissionDeniedException("PLATFORM_OPERATOR_ONLY", "dead letters are for platform operators");
        }
    }
}

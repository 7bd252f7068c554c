package bridge.housing.domain;

/**
 * Hands a written notice over for delivery to the authority's system (the outbox, in the partner
 * room). Must be idempotent per notice: called again for the same notice (a retried request), it
 * schedules nothing new.
 */
public interface NoticeDeliveries {

    void schedule(DutyToReferNotice notice);
}

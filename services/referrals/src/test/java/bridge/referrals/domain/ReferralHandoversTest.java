package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.UnavailableException;
import bridge.support.time.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hand-over inside Referrals.send against an in-memory repository and a scripted liaison. */
class ReferralHandoversTest {

    /** Answers with what the test scripts next; records what it was asked. */
    static final class ScriptedLiaison implements LiaisonHandovers {
        RuntimeException next;
        final List<String> asked = new ArrayList<>();

        @Override
        public List<String> handOver(Referral referral) {
            asked.add(referral.id());
            if (next != null) {
                throw next;
            }
            return List.of("people/" + referral.personId() + "/dutyToReferNotices/n-" + referral.id());
        }
    }

    /** Counts what is announced (webhooks, metrics). */
    static final class CountingEvents implements ReferralEvents {
        final List<String> sent = new ArrayList<>();
        final List<String> retried = new ArrayList<>();

        @Override
        public void sent(Referral r) {
            sent.add(r.id());
        }

        @Override
        public void retried(Referral r) {
            retried.add(r.id());
        }
    }

    final ReferralsTest.InMemoryReferrals store = new ReferralsTest.InMemoryReferrals();
    final ScriptedLiaison liaison = new ScriptedLiaison();
    final CountingEvents events = new CountingEvents();
    final AtomicInteger seq = new AtomicInteger();
    final Referrals referrals = new Referrals(store, new ReferralsTest.RecordingDecisions(), personId -> true,
            new MutableClock(ReferralsTest.NOW), () -> "r" + seq.incrementAndGet()).withEvents(events).withHandovers(liaison);

    private Referral send(String requestId) {
        return referrals.send(ReferralsTest.POLICE, new NewReferral("p1", Pathway.DUTY_TO_REFER, "leeds-housing", "",
                PathwayFixtures.details(Pathway.DUTY_TO_REFER)), requestId);
    }

    @Test
    void aReferralIsAnnouncedOnceItsHandoverIsDoneAndARetryAsksNothingMore() {
        liaison.next = new UnavailableException("HANDOVER_UNAVAILABLE", "housing-liaison did not answer (UNAVAILABLE)");
        assertThatThrownBy(() -> send("k1")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("retry with the same request_id");
        assertThat(store.findById("r1").orElseThrow().handover())
                .isEqualTo(Handover.pending("housing-liaison did not answer (UNAVAILABLE)"));
        assertThat(events.sent).isEmpty();

        liaison.next = null;
        Referral done = send("k1");
        assertThat(done.id()).isEqualTo("r1");
        assertThat(done.handover()).isEqualTo(Handover.done(List.of("people/p1/dutyToReferNotices/n-r1")));
        assertThat(store.findById("r1").orElseThrow().handover()).isEqualTo(done.handover());
        assertThat(events.sent).containsExactly("r1");

        assertThat(send("k1")).isEqualTo(done);
        assertThat(liaison.asked).containsExactly("r1", "r1");
        assertThat(events.retried).containsExactly("r1");
    }

    @Test
    void aRefusalRemovesThePendingReferralSoTheSameKeySendsAfresh() {
        liaison.next = new FailedPreconditionException("CONSENT_TO_REFER_MISSING", "no notice was sent");
        assertThatThrownBy(() -> send("k2")).isInstanceOf(FailedPreconditionException.class);
        assertThat(store.findById("r1")).isEmpty();
        assertThat(events.sent).isEmpty();

        liaison.next = null;
        Referral sent = send("k2");
        assertThat(sent.id()).isEqualTo("r2");
        assertThat(sent.handover().isDone()).isTrue();
    }

    @Test
    void aHandoverCompletedMeanwhileIsReadBackNotOverwritten() {
        liaison.next = new UnavailableException("HANDOVER_UNAVAILABLE", "down");
        assertThatThrownBy(() -> send("k3")).isInstanceOf(UnavailableException.class);
        // a concurrent retry completes it between this retry's call and its write
        Handover other = Handover.done(List.of("people/p1/dutyToReferNotices/n-r1"));
        LiaisonHandovers racing = r -> {
            store.recordHandover(r.id(), other);
            return other.records();
        };
        Referrals second = new Referrals(store, new ReferralsTest.RecordingDecisions(), personId -> true,
                new MutableClock(ReferralsTest.NOW), () -> "x").withHandovers(racing);
        Referral r = second.send(ReferralsTest.POLICE, new NewReferral("p1", Pathway.DUTY_TO_REFER, "leeds-housing", "",
                PathwayFixtures.details(Pathway.DUTY_TO_REFER)), "k3");
        assertThat(r.id()).isEqualTo("r1");
        assertThat(r.handover()).isEqualTo(other);
        assertThat(store.recordHandover("r1", Handover.pending("late"))).as("a done hand-over is never reopened").isFalse();
    }

    @Test
    void pathwaysThatAreNotHandedOverNeverCallTheLiaison() {
        Referral r = referrals.send(ReferralsTest.POLICE, new NewReferral("p1", Pathway.PEER_NAVIGATOR, "peer-navigators", "",
                PathwayFixtures.details(Pathway.PEER_NAVIGATOR)), "");
        assertThat(r.handover()).isNull();
        assertThat(liaison.asked).isEmpty();
    }
}

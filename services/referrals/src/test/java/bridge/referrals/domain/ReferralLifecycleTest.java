package bridge.referrals.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.consent.DataCategory;
import bridge.support.errors.ConflictException;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Actor;
import bridge.support.identity.AgencyType;
import bridge.support.identity.Caller;
import bridge.support.time.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.time.Duration;

/** The lifecycle table, exhaustively: every (status, transition, actor) against a hand-written list. */
class ReferralLifecycleTest {

    static final Instant SENT = Instant.parse("2026-03-01T09:00:00Z");
    static final Caller SENDER = new Caller("officer-1", "met-police", AgencyType.POLICE, Set.of("worker"));
    static final Caller RECEIVER = new Caller("kw-1", "forward-leeds", AgencyType.TREATMENT, Set.of("worker"));
    static final Caller OTHER = new Caller("ho-1", "leeds-housing", AgencyType.HOUSING, Set.of("worker"));
    static final Caller PLATFORM = new Caller("op", "bridge-platform", AgencyType.PLATFORM, Set.of());

    /**
     * Written out by hand (not derived from {@link Transition}): "status transition party" for every
     * allowed move. Everything else is illegal.
     */
    static final Set<String> ALLOWED = Set.of(
            "REQUESTED ACKNOWLEDGE RECEIVER",
            "REQUESTED ACCEPT RECEIVER", "RECEIVED ACCEPT RECEIVER",
            "REQUESTED REJECT RECEIVER", "RECEIVED REJECT RECEIVER",
            "ACCEPTED START RECEIVER",
            "ACCEPTED HOLD RECEIVER", "IN_PROGRESS HOLD RECEIVER",
            "ON_HOLD RESUME RECEIVER",
            "IN_PROGRESS COMPLETE RECEIVER",
            "ACCEPTED FAIL RECEIVER", "IN_PROGRESS FAIL RECEIVER", "ON_HOLD FAIL RECEIVER",
            "DRAFT CANCEL SENDER", "REQUESTED CANCEL SENDER", "RECEIVED CANCEL SENDER", "ACCEPTED CANCEL SENDER",
            "IN_PROGRESS CANCEL SENDER", "ON_HOLD CANCEL SENDER");

    static final StatusReason REASON = new StatusReason(StatusReasonCode.NO_CAPACITY, "Caseloads full until May.");

    final ReferralsTest.InMemoryReferrals store = new ReferralsTest.InMemoryReferrals();
    final MutableClock clock = new MutableClock(ReferralsTest.NOW);
    /** The receiver holds the person's consent for everything the pathway shares (see consentGate* below). */
    final ReferralsTest.RecordingDecisions decisions = new ReferralsTest.RecordingDecisions();
    final Referrals referrals = new Referrals(store, decisions, personId -> true, clock, () -> "unused");

    {
        decisions.granted.addAll(Pathway.DRUG_TEST_ON_ARREST.sharedCategories());
    }

    Referral stored(ReferralStatus status) {
        Referral r = new Referral("r1", "p1", Pathway.DRUG_TEST_ON_ARREST, Actor.of(SENDER), "forward-leeds", status,
                "Positive test on arrest", SENT, SENT, 3);
        return store.insertOnce(r, "k1");
    }

    static Stream<Arguments> everyTriple() {
        List<Arguments> out = new ArrayList<>();
        for (ReferralStatus s : ReferralStatus.values()) {
            for (Transition t : Transition.values()) {
                for (String actor : List.of("SENDER", "RECEIVER", "OTHER")) {
                    out.add(Arguments.of(s, t, actor));
                }
            }
        }
        return out.stream();
    }

    static Caller caller(String actor) {
        return switch (actor) {
            case "SENDER" -> SENDER;
            case "RECEIVER" -> RECEIVER;
            default -> OTHER;
        };
    }

    @ParameterizedTest(name = "{1} from {0} by {2}")
    @MethodSource("everyTriple")
    void everyTransitionFromEveryStatusByEveryParty(ReferralStatus status, Transition t, String actor) {
        Referral before = stored(status);
        clock.set(SENT.plusSeconds(3600));
        Caller caller = caller(actor);
        StatusReason reason = t.needsReason() ? REASON : null;
        Runnable move = () -> referrals.transition(caller, "r1", t, before.etag(), reason, new Violations());

        if (ALLOWED.contains(status + " " + t + " " + actor)) {
            Referral after = referrals.transition(caller, "r1", t, before.etag(), reason, new Violations());
            assertThat(after.status()).isEqualTo(t.to());
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(after.updatedAt()).isEqualTo(clock.instant());
            assertThat(after.history()).containsExactly(
                    new HistoryEntry(t, status, t.to(), Actor.of(caller), clock.instant(), reason));
            assertThat(store.findById("r1")).contains(after);
            return;
        }
        if (actor.equals("OTHER")) {
            assertThatThrownBy(move::run).isInstanceOf(NotFoundException.class).hasMessage("referrals/r1 not found");
        } else if (!actor.equals(t.party().name())) {
            assertThatThrownBy(move::run).isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining(t.party() == Transition.Party.SENDER ? "sending" : "receiving");
        } else {
            assertThatThrownBy(move::run).isInstanceOf(FailedPreconditionException.class)
                    .hasMessageContaining("is " + status.fhirCode() + ":").hasMessageContaining(t.verb());
        }
        assertThat(store.findById("r1")).contains(before);
    }

    @Test
    void theTableHoldsNoMoveOutOfAFinalStatus() {
        for (ReferralStatus s : ReferralStatus.values()) {
            for (Transition t : Transition.values()) {
                if (s.isFinal()) {
                    assertThat(t.isAllowedFrom(s)).as(t + " from " + s).isFalse();
                }
            }
        }
    }

    static List<String> fields(Runnable call) {
        try {
            call.run();
        } catch (InvalidArgumentException e) {
            return e.violations().stream().map(FieldViolation::field).toList();
        }
        throw new AssertionError("no violation");
    }

    @Test
    void reasonsAreRequiredWhereTheTableSaysSoAndNamedByField() {
        Referral before = stored(ReferralStatus.REQUESTED);
        for (Transition t : List.of(Transition.REJECT, Transition.CANCEL)) {
            Caller by = t.party() == Transition.Party.SENDER ? SENDER : RECEIVER;
            assertThat(fields(() -> referrals.transition(by, "r1", t, before.etag(), null, new Violations())))
                    .containsExactly("reason.code");
            assertThat(fields(() -> referrals.transition(by, "r1", t, before.etag(),
                    new StatusReason(null, "no code"), new Violations()))).containsExactly("reason.code");
            assertThat(fields(() -> referrals.transition(by, "r1", t, before.etag(),
                    new StatusReason(StatusReasonCode.OTHER, " "), new Violations()))).containsExactly("reason.text");
            assertThat(fields(() -> referrals.transition(by, "r1", t, before.etag(),
                    new StatusReason(StatusReasonCode.DUPLICATE, "x".repeat(2001)), new Violations())))
                    .containsExactly("reason.text");
            assertThat(fields(() -> referrals.transition(by, "r1", t, "", null, new Violations())))
                    .containsExactly("etag", "reason.code");
        }
        // 2000 characters is fine
        Referral rejected = referrals.transition(RECEIVER, "r1", Transition.REJECT, before.etag(),
                new StatusReason(StatusReasonCode.OTHER, "y".repeat(2000)), new Violations());
        assertThat(rejected.status()).isEqualTo(ReferralStatus.REJECTED);
    }

    @Test
    void aMissingEtagIsNamedAndNothingChanges() {
        Referral before = stored(ReferralStatus.REQUESTED);
        assertThat(fields(() -> referrals.transition(RECEIVER, "r1", Transition.ACCEPT, null, null, new Violations())))
                .containsExactly("etag");
        assertThat(store.findById("r1")).contains(before);
    }

    @Test
    void aStaleEtagIsAbortedEvenWhenTheMoveWouldBeLegal() {
        Referral before = stored(ReferralStatus.REQUESTED);
        assertThatThrownBy(() -> referrals.transition(RECEIVER, "r1", Transition.ACCEPT, "W/\"2\"", null, new Violations()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("read it again");
        assertThat(store.findById("r1")).contains(before);
    }

    @Test
    void aMissingReferralIsNotFoundAndPlatformMayNotMoveAnything() {
        assertThatThrownBy(() -> referrals.transition(RECEIVER, "nope", Transition.ACCEPT, "W/\"1\"", null, new Violations()))
                .isInstanceOf(NotFoundException.class);
        stored(ReferralStatus.REQUESTED);
        assertThatThrownBy(() -> referrals.transition(PLATFORM, "r1", Transition.ACCEPT, "W/\"3\"", null, new Violations()))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void aWholeJourneyIsRecordedInOrder() {
        Referral r = stored(ReferralStatus.REQUESTED);
        for (Transition t : List.of(Transition.ACKNOWLEDGE, Transition.ACCEPT, Transition.START, Transition.HOLD,
                Transition.RESUME, Transition.COMPLETE)) {
            clock.advance(Duration.ofSeconds(60));
            r = referrals.transition(RECEIVER, "r1", t, r.etag(), t.needsReason() ? REASON : null, new Violations());
        }
        assertThat(r.status()).isEqualTo(ReferralStatus.COMPLETED);
        assertThat(r.version()).isEqualTo(3 + 6);
        assertThat(r.history()).extracting(HistoryEntry::status).containsExactly(ReferralStatus.RECEIVED,
                ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.ON_HOLD, ReferralStatus.IN_PROGRESS,
                ReferralStatus.COMPLETED);
        assertThat(r.history().get(3).reason()).isEqualTo(REASON);
        assertThat(r.history().get(4).reason()).isNull();
    }

    @Test
    void theReceiverCannotActWithoutADecisionCoveringWhatThePathwayShares() {
        decisions.granted.remove(DataCategory.SUBSTANCE_USE);
        Referral before = stored(ReferralStatus.REQUESTED);
        assertThatThrownBy(() -> referrals.transition(RECEIVER, "r1", Transition.ACCEPT, before.etag(), null,
                new Violations()))
                .isInstanceOf(FailedPreconditionException.class)
                .hasMessageContaining("SUBSTANCE_USE").hasMessageContaining("REFERRAL")
                .extracting(e -> ((FailedPreconditionException) e).reason()).isEqualTo("REFERRAL_SHARING_NOT_ALLOWED");
        assertThat(store.findById("r1")).contains(before);
        // asked as the receiver, for purpose REFERRAL, about every category the pathway shares
        assertThat(decisions.asked).last().isEqualTo("p1|REFERRAL|[SUBSTANCE_USE, JUSTICE, REFERRALS]");

        decisions.granted.add(DataCategory.SUBSTANCE_USE);
        assertThat(referrals.transition(RECEIVER, "r1", Transition.ACCEPT, before.etag(), null, new Violations())
                .status()).isEqualTo(ReferralStatus.ACCEPTED);
    }

    @Test
    void theSenderCancelsWithoutAskingBecauseNothingIsSharedByWithdrawing() {
        decisions.granted.clear();
        Referral before = stored(ReferralStatus.ACCEPTED);
        int asked = decisions.asked.size();
        assertThat(referrals.transition(SENDER, "r1", Transition.CANCEL, before.etag(), REASON, new Violations())
                .status()).isEqualTo(ReferralStatus.CANCELLED);
        assertThat(decisions.asked).hasSize(asked);
    }

    @Test
    void theReceiverReadsTheEnvelopeButNotTheContentWithoutADecision() {
        Referral before = stored(ReferralStatus.REQUESTED);
        decisions.granted.remove(DataCategory.JUSTICE);
        Referral seen = referrals.get(RECEIVER, "r1", bridge.support.consent.Purpose.DIRECT_SUPPORT);
        assertThat(seen.status()).isEqualTo(ReferralStatus.REQUESTED);
        assertThat(seen.reason()).isEmpty();
        assertThat(seen.withheld()).containsExactly(DataCategory.JUSTICE);
        assertThat(decisions.asked).last().asString().startsWith("p1|REFERRAL|");
        // the sender's own record needs no decision
        assertThat(referrals.get(SENDER, "r1", bridge.support.consent.Purpose.DIRECT_SUPPORT)).isEqualTo(before);
        decisions.granted.add(DataCategory.JUSTICE);
        assertThat(referrals.get(RECEIVER, "r1", bridge.support.consent.Purpose.DIRECT_SUPPORT)).isEqualTo(before);
    }
}

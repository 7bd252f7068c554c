package bridge.referrals.api;

import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.Checklist;
import bridge.proto.benefits.v1.ClaimPreparation;
import bridge.proto.benefits.v1.CreateClaimPreparationRequest;
import bridge.proto.housing.v1.CreateDutyToReferNoticeRequest;
import bridge.proto.housing.v1.DutyToReferNotice;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc;
import bridge.referrals.domain.LiaisonHandovers;
import bridge.referrals.domain.PathwayDetails;
import bridge.referrals.domain.Referral;
import bridge.support.errors.BridgeException;
import bridge.support.errors.FailedPreconditionException;
import bridge.support.errors.FieldViolation;
import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.UnavailableException;
import bridge.support.grpc.CallerCredentials;
import bridge.support.grpc.GrpcConsentDecisions;
import bridge.support.grpc.ProtoMapping;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Hands referrals over over gRPC, as the caller (its token travels on): duty to refer → a
 * CreateDutyToReferNotice at housing-liaison; release → benefits claim → one CreateClaimPreparation
 * per benefit at benefits-liaison. Each call has a deadline, is retried on UNAVAILABLE (safe: the
 * request_id, derived from the referral's id, makes a repeat return the same record) and runs
 * through a circuit breaker. What the liaison service refuses is told in CreateReferral's terms:
 * its field names are translated to the referral's.
 */
public final class GrpcLiaisonHandovers implements LiaisonHandovers, org.springframework.beans.factory.DisposableBean {

    /** The liaison service's request fields and where the caller finds them in CreateReferral. */
    private static final Map<String, String> HOUSING_FIELDS = Map.of(
            "parent", "referral.person",
            "duty_to_refer_notice.authority_code", "referral.duty_to_refer.local_housing_authority",
            "duty_to_refer_notice.reason", "referral.reason",
            "duty_to_refer_notice.expected_homeless_date", "referral.duty_to_refer.expected_homeless_date",
            "duty_to_refer_notice.contact_phone", "referral.duty_to_refer.contact_phone",
            "duty_to_refer_notice.contact_email", "referral.duty_to_refer.contact_email",
            "duty_to_refer_notice.contact_note", "referral.duty_to_refer.contact_note");
    private static final Map<String, String> BENEFITS_FIELDS = Map.of(
            "parent", "referral.person",
            "claim_preparation.release_date", "referral.release_benefits_claim.release_date",
            "claim_preparation.benefit", "referral.release_benefits_claim.benefits",
            "claim_preparation.jurisdiction", "referral.release_benefits_claim.jurisdiction");

    private final ManagedChannel housing;
    private final ManagedChannel benefits;
    private final Duration deadline;
    private final Retry retry;
    private final CircuitBreaker housingBreaker;
    private final CircuitBreaker benefitsBreaker;

    public GrpcLiaisonHandovers(ManagedChannel housing, ManagedChannel benefits, Duration deadline, Retry retry,
                                CircuitBreaker housingBreaker, CircuitBreaker benefitsBreaker) {
        this.housing = housing;
        this.benefits = benefits;
        this.deadline = deadline;
        this.retry = retry;
        this.housingBreaker = housingBreaker;
        this.benefitsBreaker = benefitsBreaker;
    }

    /** The liaison service's idempotency key for a referral (and benefit): the same on every retry. */
    static String requestId(Referral r, String suffix) {
        return "referral-" + r.id() + (suffix.isEmpty() ? "" : "-" + suffix);
    }

    @Override
    public List<String> handOver(Referral r) {
        CallCredentials caller = CallerCredentials.ofCurrentCaller();
        return switch (r.details()) {
            case PathwayDetails.DutyToRefer d -> List.of(notice(r, d, caller));
            case PathwayDetails.ReleaseBenefitsClaim c -> {
                List<String> made = new ArrayList<>();
                for (PathwayDetails.Benefit b : c.benefits()) {
                    made.add(preparation(r, c, b, caller));
                }
                yield made;
            }
            case null, default -> throw new IllegalArgumentException(r.pathway() + " is not handed over");
        };
    }

    private String notice(Referral r, PathwayDetails.DutyToRefer d, CallCredentials caller) {
        DutyToReferNotice.Builder n = DutyToReferNotice.newBuilder()
                .setAuthorityCode(d.localHousingAuthority())
                .setReason(noticeReason(r, d))
                .setContactPhone(d.contactPhone())
                .setContactEmail(d.contactEmail())
                .setContactNote(d.contactNote())
                .setReferral("referrals/" + r.id());
        if (d.expectedHomelessDate() != null) {
            n.setExpectedHomelessDate(ProtoMapping.date(d.expectedHomelessDate()));
        }
        CreateDutyToReferNoticeRequest request = CreateDutyToReferNoticeRequest.newBuilder()
                .setParent("people/" + r.personId()).setDutyToReferNotice(n).setRequestId(requestId(r, "")).build();
        return call("housing-liaison", housingBreaker, HOUSING_FIELDS, "referral.duty_to_refer",
                () -> HousingLiaisonServiceGrpc.newBlockingStub(housing).withCallCredentials(caller)
                        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .createDutyToReferNotice(request).getName());
    }

    /** The notice's reason: why the duty applies, then the sender's own words where it gave any. */
    static String noticeReason(Referral r, PathwayDetails.DutyToRefer d) {
        String why = switch (d.circumstance()) {
            case HOMELESS -> "Homeless";
            case THREATENED_WITH_HOMELESSNESS -> "Threatened with homelessness within 56 days";
        };
        return r.reason().isBlank() ? why : why + ": " + r.reason();
    }

    private String preparation(Referral r, PathwayDetails.ReleaseBenefitsClaim c, PathwayDetails.Benefit b,
                               CallCredentials caller) {
        ClaimPreparation.Builder p = ClaimPreparation.newBuilder()
                .setBenefit(switch (b) {
                    case UNIVERSAL_CREDIT -> bridge.proto.benefits.v1.Benefit.BENEFIT_UNIVERSAL_CREDIT;
                    case UNIVERSAL_CREDIT_HOUSING_COSTS -> bridge.proto.benefits.v1.Benefit.BENEFIT_HOUSING_COSTS;
                    case PERSONAL_INDEPENDENCE_PAYMENT -> bridge.proto.benefits.v1.Benefit.BENEFIT_PERSONAL_INDEPENDENCE_PAYMENT;
                    case EMPLOYMENT_AND_SUPPORT_ALLOWANCE -> bridge.proto.benefits.v1.Benefit.BENEFIT_EMPLOYMENT_AND_SUPPORT_ALLOWANCE;
                })
                .setReleaseDate(ProtoMapping.date(c.releaseDate()))
                .setJurisdiction(bridge.proto.benefits.v1.Jurisdiction.valueOf("JURISDICTION_" + c.jurisdiction().name()))
                .setChecklist(Checklist.newBuilder()
                        .setProofOfIdentityHeld(c.identityDocumentsHeld())
                        .setBankAccountReady(c.bankAccountOpen()))
                .setReferral("referrals/" + r.id());
        CreateClaimPreparationRequest request = CreateClaimPreparationRequest.newBuilder()
                .setParent("people/" + r.personId()).setClaimPreparation(p).setRequestId(requestId(r, b.name())).build();
        return call("benefits-liaison", benefitsBreaker, BENEFITS_FIELDS, "referral.release_benefits_claim",
                () -> BenefitsLiaisonServiceGrpc.newBlockingStub(benefits).withCallCredentials(caller)
                        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .createClaimPreparation(request).getName());
    }

    private String call(String service, CircuitBreaker breaker, Map<String, String> fields, String otherField,
                        Supplier<String> call) {
        try {
            return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call)).get();
        } catch (CallNotPermittedException e) {
            throw new UnavailableException("HANDOVER_UNAVAILABLE", service + " is unavailable");
        } catch (StatusRuntimeException e) {
            throw refusal(service, e, fields, otherField);
        }
    }

    /** The liaison service's answer as the sender should hear it. */
    static BridgeException refusal(String service, StatusRuntimeException e, Map<String, String> fields, String otherField) {
        Status.Code code = e.getStatus().getCode();
        if (GrpcConsentDecisions.isTransient(code) || code == Status.Code.RESOURCE_EXHAUSTED) {
            return new UnavailableException("HANDOVER_UNAVAILABLE", service + " did not answer (" + code + ")");
        }
        String message = service + " refused the hand-over: " + e.getStatus().getDescription();
        String reason = "HANDOVER_REFUSED";
        List<FieldViolation> violations = new ArrayList<>();
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details != null) {
            for (Any any : details.getDetailsList()) {
                try {
                    if (any.is(ErrorInfo.class)) {
                        reason = any.unpack(ErrorInfo.class).getReason();
                    } else if (any.is(BadRequest.class)) {
                        any.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> violations.add(new FieldViolation(
                                fields.getOrDefault(v.getField(), otherField), v.getDescription())));
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // a detail we cannot read leaves the plain status, which still says what happened
                }
            }
        }
        return switch (code) {
            case INVALID_ARGUMENT -> violations.isEmpty() ? InvalidArgumentException.of(otherField, message)
                    : new InvalidArgumentException(violations);
            case PERMISSION_DENIED -> new PermissionDeniedException(reason, message);
            default -> new FailedPreconditionException(reason, message);
        };
    }

    @Override
    public void destroy() {
        housing.shutdownNow();
        benefits.shutdownNow();
    }
}

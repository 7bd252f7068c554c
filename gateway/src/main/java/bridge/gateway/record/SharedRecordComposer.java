package bridge.gateway.record;

import bridge.gateway.grpc.Backends;
import bridge.gateway.grpc.UnaryCaller;
import bridge.proto.benefits.v1.BenefitsLiaisonProto;
import bridge.proto.benefits.v1.ListClaimsRequest;
import bridge.proto.benefits.v1.ListClaimsResponse;
import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.ConsentProto;
import bridge.proto.consent.v1.IssueDecisionSetRequest;
import bridge.proto.consent.v1.SignedDecisionSet;
import bridge.proto.consent.v1.ListConsentsRequest;
import bridge.proto.consent.v1.ListConsentsResponse;
import bridge.proto.housing.v1.HousingLiaisonProto;
import bridge.proto.housing.v1.ListHousingSituationsRequest;
import bridge.proto.housing.v1.ListHousingSituationsResponse;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.PeopleDirectoryProto;
import bridge.proto.people.v1.Person;
import bridge.proto.record.v1.GetSharedRecordRequest;
import bridge.proto.record.v1.SharedRecord;
import bridge.proto.record.v1.SharedRecordPart;
import bridge.proto.record.v1.SharedRecordPart.Source;
import bridge.proto.record.v1.SharedRecordPart.State;
import bridge.proto.record.v1.SharedRecordServiceGrpc;
import bridge.proto.referrals.v1.ListReferralsRequest;
import bridge.proto.referrals.v1.ListReferralsResponse;
import bridge.proto.referrals.v1.ReferralsProto;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * {@code GetSharedRecord}: asks the people directory, housing liaison, benefits liaison, referrals
 * and consent services at once, as the caller, and composes their answers.
 *
 * <ul>
 *   <li>Parallel: the five calls are started together (non-blocking, through {@link UnaryCaller}),
 *       so the answer takes about as long as the slowest part, not the sum.</li>
 *   <li>Deadlines: each part has its own deadline ({@code bridge.gateway.shared-record.part-deadline},
 *       2 s by default), never beyond what the caller's own deadline leaves.</li>
 *   <li>Breakers: each call goes through its backend's circuit breaker (the same breakers the route
 *       filter uses): an open breaker fails the part at once, without a call.</li>
 *   <li>The person gates the record: if the people directory says NOT_FOUND (no such person, or
 *       IDENTITY not allowed) the answer is that NOT_FOUND and the other calls are cancelled — never
 *       a partial record of someone the caller may not see. If the people directory cannot be had,
 *       the answer is UNAVAILABLE.</li>
 *   <li>Any other part that fails is left out and marked {@code STATE_UNAVAILABLE} (down, breaker
 *       open, deadline passed) or {@code STATE_NOT_VISIBLE} (that service does not show the person
 *       to the caller); the rest is returned. No service's error text reaches the caller.</li>
 * </ul>
 *
 * <p>Visibility is never decided here: every service filters its own part under the consent
 * service's decisions and names what it withheld; the record merges those names.
 *
 * <p>One decision per record (ADR 0012): before the five calls the composer asks the consent service
 * once for a signed decision set covering every category, for this caller, person, purpose and
 * request, and sends it with each call. Each service verifies it against the caller's token it
 * validated itself and uses it instead of asking the consent service again; if the set cannot be had
 * (consent service slow or down, breaker open) the parts are asked without it and each service asks
 * for itself, as before.
 */
public final class SharedRecordComposer extends SharedRecordServiceGrpc.SharedRecordServiceImplBase {

    /** Items per list part: the lists' cap. More is flagged as {@code truncated}. */
    static final int PART_PAGE_SIZE = 100;
    /** Kept back from the caller's deadline so that a late part still leaves time to answer. */
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(100);
    static final String ERROR_DOMAIN = "bridge.platform";

    static final Descriptors.MethodDescriptor GET_PERSON =
            rpc(PeopleDirectoryProto.getDescriptor(), "PeopleDirectoryService", "GetPerson");
    static final Descriptors.MethodDescriptor LIST_HOUSING_SITUATIONS =
            rpc(HousingLiaisonProto.getDescriptor(), "HousingLiaisonService", "ListHousingSituations");
    static final Descriptors.MethodDescriptor LIST_CLAIMS =
            rpc(BenefitsLiaisonProto.getDescriptor(), "BenefitsLiaisonService", "ListClaims");
    static final Descriptors.MethodDescriptor LIST_REFERRALS =
            rpc(ReferralsProto.getDescriptor(), "ReferralService", "ListReferrals");
    static final Descriptors.MethodDescriptor LIST_CONSENTS =
            rpc(ConsentProto.getDescriptor(), "ConsentService", "ListConsents");
    static final Descriptors.MethodDescriptor ISSUE_DECISION_SET =
            rpc(ConsentProto.getDescriptor(), "ConsentService", "IssueDecisionSet");

    private static final Logger log = LoggerFactory.getLogger(SharedRecordComposer.class);

    /**
     * What every part call carries: the caller's token and request id, the part deadline and, once
     * issued, the request's signed decision set (null: none).
     */
    record Forward(String authorization, String requestId, Duration deadline, byte[] decisionSet) {

        Forward(String authorization, String requestId, Duration deadline) {
            this(authorization, requestId, deadline, null);
        }

        Forward withDecisionSet(byte[] set) {
            return new Forward(authorization, requestId, deadline, set);
        }

        /**
         * A quarter of the part deadline: a slow consent service costs the record little before the
         * parts ask (each part then has its whole deadline, so a record may take a quarter longer).
         */
        Forward forDecisionSet() {
            return new Forward(authorization, requestId, Duration.ofMillis(Math.max(1, deadline.toMillis() / 4)), null);
        }
    }

    /** One part's outcome; {@code reply} is null unless the state is OK. */
    record Part<R extends Message>(Source source, State state, R reply) {

        boolean ok() {
            return state == State.STATE_OK;
        }
    }

    private final Backends backends;
    private final UnaryCaller caller;
    private final Duration partDeadline;
    private final MeterRegistry meters;
    /**
     * The decision-set call's own breaker. The call is an optimisation with a tight deadline (a quarter of
     * a part's): when the consent service is merely slow it times out, and counted on the consent
     * service's breaker that opened it for everyone — consents could then not be recorded for five
     * seconds because shared records were being read. Counted here, a slow consent service only makes
     * the composer skip the set (the parts ask for themselves).
     */
    private final CircuitBreaker decisionSetBreaker;

    public SharedRecordComposer(Backends backends, UnaryCaller caller, Duration partDeadline, MeterRegistry meters) {
        this(backends, caller, partDeadline, meters, CircuitBreaker.of("decision-sets", Backends.breakerConfig()));
    }

    public SharedRecordComposer(Backends backends, UnaryCaller caller, Duration partDeadline, MeterRegistry meters,
                                CircuitBreaker decisionSetBreaker) {
        this.backends = backends;
        this.caller = caller;
        this.partDeadline = partDeadline;
        this.meters = meters;
        this.decisionSetBreaker = decisionSetBreaker;
    }

    @Override
    public void getSharedRecord(GetSharedRecordRequest request, StreamObserver<SharedRecord> observer) {
        ServerCallStreamObserver<SharedRecord> response = (ServerCallStreamObserver<SharedRecord>) observer;
        String personId = personId(request.getName());
        if (personId == null) {
            response.onError(invalidName());
            return;
        }
        String requestId = ForwardedCredentials.REQUEST_ID.get();
        Forward forward = new Forward(ForwardedCredentials.AUTHORIZATION.get(),
                requestId == null ? UUID.randomUUID().toString() : requestId,
                partDeadline(partDeadline, Context.current().getDeadline()));
        // the caller went away (or its deadline passed): stop waiting for the parts, cancel their calls
        AtomicReference<Disposable> running = new AtomicReference<>();
        response.setOnCancelHandler(() -> {
            Disposable d = running.get();
            if (d != null) {
                d.dispose();
            }
        });
        Disposable d = compose(personId, request.getPurpose(), forward).subscribe(record -> {
            response.onNext(record);
            response.onCompleted();
        }, e -> response.onError(asStatus(e)));
        running.set(d);
        if (response.isCancelled()) {
            d.dispose();
        }
    }

    /** The decision set first, then the five calls, started together; the record once all have answered. */
    Mono<SharedRecord> compose(String personId, Purpose purpose, Forward forward) {
        return decisionSet(personId, purpose, forward)
                .map(forward::withDecisionSet)
                .defaultIfEmpty(forward)
                .flatMap(f -> composeParts(personId, purpose, f));
    }

    /**
     * The consent service's signed decisions for this request, every category at once; empty when it
     * cannot be had, and then each service asks for itself. The person's own visibility is still the
     * people directory's answer, under the same decisions.
     */
    private Mono<byte[]> decisionSet(String personId, Purpose purpose, Forward forward) {
        IssueDecisionSetRequest.Builder request = IssueDecisionSetRequest.newBuilder()
                .setPerson("people/" + personId)
                // what every service reads an unspecified purpose as
                .setPurpose(purpose == Purpose.PURPOSE_REFERRAL || purpose == Purpose.PURPOSE_RISK_MANAGEMENT
                        ? purpose : Purpose.PURPOSE_DIRECT_SUPPORT);
        for (DataCategory c : DataCategory.values()) {
            if (c != DataCategory.DATA_CATEGORY_UNSPECIFIED && c != DataCategory.UNRECOGNIZED) {
                request.addCategories(c);
            }
        }
        return call(ISSUE_DECISION_SET, request.build(), SignedDecisionSet.parser(), forward.forDecisionSet())
                .map(SignedDecisionSet::toByteArray)
                .onErrorResume(e -> {
                    log.debug("shared record: no decision set ({}), the parts ask for themselves [requestId={}]",
                            code(e), forward.requestId());
                    return Mono.empty();
                });
    }

    /** The five calls, started together; the record once all have answered, failed or timed out. */
    Mono<SharedRecord> composeParts(String personId, Purpose purpose, Forward forward) {
        String parent = "people/" + personId;
        Mono<Person> person = call(GET_PERSON,
                GetPersonRequest.newBuilder().setName(parent).setPurpose(purpose).build(), Person.parser(), forward)
                .doOnNext(p -> count(Source.SOURCE_PEOPLE_DIRECTORY, State.STATE_OK))
                .onErrorMap(e -> personFailure(e, forward.requestId()));
        Mono<Part<ListHousingSituationsResponse>> housing = part(Source.SOURCE_HOUSING_LIAISON, LIST_HOUSING_SITUATIONS,
                ListHousingSituationsRequest.newBuilder().setParent(parent).setPageSize(PART_PAGE_SIZE)
                        .setPurpose(purpose).build(), ListHousingSituationsResponse.parser(), forward);
        Mono<Part<ListClaimsResponse>> claims = part(Source.SOURCE_BENEFITS_LIAISON, LIST_CLAIMS,
                ListClaimsRequest.newBuilder().setParent(parent).setPageSize(PART_PAGE_SIZE).setPurpose(purpose).build(),
                ListClaimsResponse.parser(), forward);
        Mono<Part<ListReferralsResponse>> referrals = part(Source.SOURCE_REFERRALS, LIST_REFERRALS,
                ListReferralsRequest.newBuilder().setParent(parent).setPageSize(PART_PAGE_SIZE).setPurpose(purpose).build(),
                ListReferralsResponse.parser(), forward);
        Mono<Part<ListConsentsResponse>> consents = part(Source.SOURCE_CONSENT, LIST_CONSENTS,
                ListConsentsRequest.newBuilder().setParent(parent).setPageSize(PART_PAGE_SIZE).build(),
                ListConsentsResponse.parser(), forward);
        // zip subscribes to all five at once; an error of the person (only) fails the whole and cancels the rest
        return Mono.zip(person, housing, claims, referrals, consents)
                .map(t -> assemble(personId, t.getT1(), t.getT2(), t.getT3(), t.getT4(), t.getT5()));
    }

    static SharedRecord assemble(String personId, Person person, Part<ListHousingSituationsResponse> housing,
                                 Part<ListClaimsResponse> claims, Part<ListReferralsResponse> referrals,
                                 Part<ListConsentsResponse> consents) {
        SharedRecord.Builder b = SharedRecord.newBuilder()
                .setName("people/" + personId + "/sharedRecord")
                .setPerson(person)
                .addParts(describe(Source.SOURCE_PEOPLE_DIRECTORY, State.STATE_OK, ""));
        SortedSet<Integer> withheld = new TreeSet<>(person.getWithheldCategoriesValueList());
        if (housing.ok()) {
            b.addAllHousingSituations(housing.reply().getHousingSituationsList());
            withheld.addAll(housing.reply().getWithheldCategoriesValueList());
        }
        b.addParts(describe(housing.source(), housing.state(), housing.ok() ? housing.reply().getNextPageToken() : ""));
        if (claims.ok()) {
            b.addAllClaims(claims.reply().getClaimsList());
            withheld.addAll(claims.reply().getWithheldCategoriesValueList());
        }
        b.addParts(describe(claims.source(), claims.state(), claims.ok() ? claims.reply().getNextPageToken() : ""));
        if (referrals.ok()) {
            b.addAllReferrals(referrals.reply().getReferralsList());
            withheld.addAll(referrals.reply().getWithheldCategoriesValueList());
        }
        b.addParts(describe(referrals.source(), referrals.state(),
                referrals.ok() ? referrals.reply().getNextPageToken() : ""));
        if (consents.ok()) {
            b.addAllConsents(consents.reply().getConsentsList());
        }
        b.addParts(describe(consents.source(), consents.state(), consents.ok() ? consents.reply().getNextPageToken() : ""));
        withheld.remove(0); // DATA_CATEGORY_UNSPECIFIED is no category
        withheld.forEach(b::addWithheldCategoriesValue);
        return b.build();
    }

    private static SharedRecordPart describe(Source source, State state, String nextPageToken) {
        return SharedRecordPart.newBuilder().setSource(source).setState(state).setTruncated(!nextPageToken.isEmpty())
                .build();
    }

    /** A part that never fails: what went wrong becomes its state. */
    private <R extends Message> Mono<Part<R>> part(Source source, Descriptors.MethodDescriptor method, Message request,
                                                   Parser<R> parser, Forward forward) {
        return call(method, request, parser, forward)
                .map(reply -> {
                    count(source, State.STATE_OK);
                    return new Part<>(source, State.STATE_OK, reply);
                })
                .onErrorResume(e -> {
                    State state = stateOf(e);
                    count(source, state);
                    if (state == State.STATE_UNAVAILABLE) {
                        log.warn("shared record: {} unavailable ({}) [requestId={}]", source, code(e), forward.requestId());
                    } else {
                        log.debug("shared record: {} not visible ({}) [requestId={}]", source, code(e), forward.requestId());
                    }
                    return Mono.just(new Part<>(source, state, null));
                });
    }

    /** One call through the backend's breaker, with the part deadline and the caller's metadata. */
    private <R extends Message> Mono<R> call(Descriptors.MethodDescriptor method, Message request, Parser<R> parser,
                                             Forward forward) {
        Backends.Backend backend = backends.forService(method.getService().getFullName()).orElse(null);
        if (backend != null && method == ISSUE_DECISION_SET) {
            backend = new Backends.Backend(backend.name(), backend.target(), backend.channel(), decisionSetBreaker);
        }
        if (backend == null) {
            return Mono.error(Status.UNAVAILABLE.withDescription("no backend for " + method.getService().getFullName())
                    .asRuntimeException());
        }
        DynamicMessage dynamic;
        try {
            dynamic = DynamicMessage.parseFrom(method.getInputType(), request.toByteString());
        } catch (InvalidProtocolBufferException e) {
            return Mono.error(e);
        }
        return caller.call(backend, method, dynamic, forward.authorization(), forward.requestId(),
                        forward.decisionSet(), forward.deadline())
                .handle((reply, sink) -> {
                    try {
                        sink.next(parser.parseFrom(reply.toByteString()));
                    } catch (InvalidProtocolBufferException e) {
                        sink.error(Status.INTERNAL.withDescription("unreadable reply").asRuntimeException());
                    }
                });
    }

    /** Not shown there (not found, not permitted) or could not be had (anything else). */
    static State stateOf(Throwable e) {
        if (e instanceof StatusRuntimeException sre) {
            switch (sre.getStatus().getCode()) {
                case NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED -> {
                    return State.STATE_NOT_VISIBLE;
                }
                default -> {
                    return State.STATE_UNAVAILABLE;
                }
            }
        }
        return State.STATE_UNAVAILABLE;
    }

    /**
     * The whole answer when the person cannot be had: the people directory's own NOT_FOUND (identical
     * to {@code GET /v1/people/{person}}), its refusal of the caller, a malformed name, or else
     * UNAVAILABLE without the service's detail.
     */
    private Throwable personFailure(Throwable e, String requestId) {
        Status.Code code = e instanceof StatusRuntimeException sre ? sre.getStatus().getCode() : Status.Code.UNKNOWN;
        switch (code) {
            case NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED -> {
                count(Source.SOURCE_PEOPLE_DIRECTORY, State.STATE_NOT_VISIBLE);
                return sanitised((StatusRuntimeException) e);
            }
            case INVALID_ARGUMENT -> {
                return invalidName();
            }
            default -> {
                count(Source.SOURCE_PEOPLE_DIRECTORY, State.STATE_UNAVAILABLE);
                log.warn("shared record: {} unavailable ({}) [requestId={}]", Source.SOURCE_PEOPLE_DIRECTORY, code,
                        requestId);
                return richStatus(Code.UNAVAILABLE, "PEOPLE_DIRECTORY_UNAVAILABLE",
                        "the people directory is unavailable; retry later", null);
            }
        }
    }

    /** The service's status and google.rpc details, and nothing else from its trailers. */
    private static StatusRuntimeException sanitised(StatusRuntimeException e) {
        com.google.rpc.Status rich = StatusProto.fromThrowable(e);
        if (rich != null) {
            return StatusProto.toStatusRuntimeException(rich);
        }
        return Status.fromCode(e.getStatus().getCode()).withDescription(e.getStatus().getDescription())
                .asRuntimeException();
    }

    private static StatusRuntimeException asStatus(Throwable e) {
        if (e instanceof StatusRuntimeException sre) {
            return sre;
        }
        log.error("shared record: unexpected failure", e);
        return richStatus(Code.INTERNAL, "INTERNAL", "internal error", null);
    }

    static StatusRuntimeException invalidName() {
        String description = "must be a resource name of the form people/{id}/sharedRecord";
        return richStatus(Code.INVALID_ARGUMENT, "INVALID_ARGUMENT", "name: " + description,
                BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField("name").setDescription(description)).build());
    }

    private static StatusRuntimeException richStatus(Code code, String reason, String message, BadRequest badRequest) {
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message)
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(ERROR_DOMAIN).build()));
        if (badRequest != null) {
            s.addDetails(Any.pack(badRequest));
        }
        return StatusProto.toStatusRuntimeException(s.build());
    }

    /** The person id of {@code people/{person}/sharedRecord}, or null. The people directory judges the id. */
    static String personId(String name) {
        if (name == null) {
            return null;
        }
        String[] segments = name.split("/", -1);
        if (segments.length != 3 || !segments[0].equals("people") || !segments[2].equals("sharedRecord")
                || segments[1].isEmpty() || segments[1].length() > 128
                || segments[1].chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            return null;
        }
        return segments[1];
    }

    /** The configured part deadline, cut to what the caller's deadline leaves (less a margin to answer in). */
    static Duration partDeadline(Duration configured, Deadline incoming) {
        if (incoming == null) {
            return configured;
        }
        long left = incoming.timeRemaining(TimeUnit.MILLISECONDS) - DEADLINE_MARGIN.toMillis();
        return Duration.ofMillis(Math.max(1, Math.min(configured.toMillis(), left)));
    }

    private static String code(Throwable e) {
        return e instanceof StatusRuntimeException sre ? sre.getStatus().getCode().name() : e.getClass().getSimpleName();
    }

    private void count(Source source, State state) {
        meters.counter("bridge.shared.record.parts", List.of(
                io.micrometer.core.instrument.Tag.of("source", source.name()),
                io.micrometer.core.instrument.Tag.of("state", state.name()))).increment();
    }

    private static Descriptors.MethodDescriptor rpc(Descriptors.FileDescriptor file, String service, String method) {
        Descriptors.ServiceDescriptor s = file.findServiceByName(service);
        Descriptors.MethodDescriptor m = s == null ? null : s.findMethodByName(method);
        if (m == null) {
            throw new IllegalStateException("contract " + file.getName() + " has no " + service + "." + method);
        }
        return m;
    }
}

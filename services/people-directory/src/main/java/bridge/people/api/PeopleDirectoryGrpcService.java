package bridge.people.api;

import bridge.people.domain.CareTeams;
import bridge.people.domain.DuplicateReview;
import bridge.proto.people.v1.CareTeamMember;
import bridge.proto.people.v1.JoinCareTeamRequest;
import bridge.proto.people.v1.LeaveCareTeamRequest;
import bridge.proto.people.v1.ListCareTeamRequest;
import bridge.proto.people.v1.ListCareTeamResponse;
import bridge.proto.people.v1.UpdateCareTeamMemberRequest;
import bridge.people.domain.LikelyDuplicateException;
import bridge.people.domain.PersonMerge;
import bridge.proto.people.v1.MergePeopleRequest;
import bridge.proto.people.v1.UnmergePeopleRequest;
import bridge.proto.people.v1.UnlinkPersonRequest;
import bridge.people.domain.PersonUnlink;
import bridge.people.domain.Stewardship;
import bridge.proto.people.v1.DismissDuplicateReviewRequest;
import bridge.proto.people.v1.DuplicateReviewKind;
import bridge.proto.people.v1.DuplicateReviewState;
import bridge.proto.people.v1.ListDuplicateReviewsRequest;
import bridge.proto.people.v1.ListDuplicateReviewsResponse;
import bridge.people.domain.NewPerson;
import bridge.people.domain.PeopleDirectory;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.people.domain.PersonMatcher;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.LookupPersonRequest;
import bridge.proto.people.v1.PersonCandidate;
import bridge.proto.people.v1.SearchPeopleRequest;
import bridge.proto.people.v1.SearchPeopleResponse;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.support.errors.Violations;
import bridge.support.grpc.GrpcErrorMapping;
import bridge.support.grpc.ProtoMapping;
import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import io.grpc.protobuf.StatusProto;
import bridge.support.grpc.ResourceNames;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.grpc.stub.StreamObserver;
import java.time.LocalDate;
import org.springframework.stereotype.Service;

/** gRPC adapter of the people directory: the only place that sees generated types. */
@Service
public class PeopleDirectoryGrpcService extends PeopleDirectoryServiceGrpc.PeopleDirectoryServiceImplBase {

    private final PeopleDirectory directory;
    private final Stewardship stewardship;
    private final CareTeams careTeams;

    public PeopleDirectoryGrpcService(PeopleDirectory directory, Stewardship stewardship, CareTeams careTeams) {
        this.directory = directory;
        this.stewardship = stewardship;
        this.careTeams = careTeams;
    }

    @Override
    public void joinCareTeam(JoinCareTeamRequest request, StreamObserver<CareTeamMember> response) {
        Caller caller = CurrentCaller.get();
        String id = ResourceNames.ids("people/*", request.getParent(), "parent")[0];
        var member = careTeams.join(caller, id, request.getRole(),
                request.hasLeadContact() ? PersonMapper.leadContact(request.getLeadContact()) : null);
        response.onNext(PersonMapper.member(id, member));
        response.onCompleted();
    }

    @Override
    public void leaveCareTeam(LeaveCareTeamRequest request, StreamObserver<CareTeamMember> response) {
        Caller caller = CurrentCaller.get();
        String id = ResourceNames.ids("people/*", request.getParent(), "parent")[0];
        response.onNext(PersonMapper.member(id, careTeams.leave(caller, id, request.getReason())));
        response.onCompleted();
    }

    @Override
    public void updateCareTeamMember(UpdateCareTeamMemberRequest request, StreamObserver<CareTeamMember> response) {
        Caller caller = CurrentCaller.get();
        if (!request.hasMember()) {
            Violations v = new Violations();
            v.add("member", "is required");
            v.throwIfAny();
        }
        String[] name = memberName(request.getMember().getName());
        var m = request.getMember();
        var updated = careTeams.update(caller, name[0], name[1], m.getRole(),
                m.hasLeadContact() ? PersonMapper.leadContact(m.getLeadContact()) : null,
                request.getUpdateMask().getPathsList());
        response.onNext(PersonMapper.member(name[0], updated));
        response.onCompleted();
    }

    /** people/{person}/careTeam/{agency}: agency ids are Keycloak organisation aliases, not platform ids. */
    private static String[] memberName(String name) {
        String[] parts = name.split("/", -1);
        if (parts.length != 4 || !parts[0].equals("people") || !parts[2].equals("careTeam")
                || !bridge.support.mongo.Ids.looksValid(parts[1]) || !parts[3].matches("[a-z0-9][a-z0-9-]{0,63}")) {
            Violations v = new Violations();
            v.add("member.name", "must be a resource name of the form people/{id}/careTeam/{agency}");
            v.throwIfAny();
        }
        return new String[] {parts[1], parts[3]};
    }

    @Override
    public void listCareTeam(ListCareTeamRequest request, StreamObserver<ListCareTeamResponse> response) {
        Caller caller = CurrentCaller.get();
        String id = ResourceNames.ids("people/*", request.getParent(), "parent")[0];
        CareTeams.View view = careTeams.list(caller, id, ProtoMapping.purpose(request.getPurpose()));
        ListCareTeamResponse.Builder out = ListCareTeamResponse.newBuilder();
        view.members().forEach(m -> out.addMembers(PersonMapper.member(id, m)));
        view.history().forEach(e -> out.addHistory(PersonMapper.event(e)));
        view.withheld().stream().sorted().forEach(c -> out.addWithheldCategories(ProtoMapping.category(c)));
        response.onNext(out.build());
        response.onCompleted();
    }

    @Override
    public void createPerson(CreatePersonRequest request, StreamObserver<Person> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        if (!request.hasPerson()) {
            v.add("person", "is required");
            v.throwIfAny();
        }
        NewPerson person = PersonMapper.toNewPerson(request.getPerson(), v);
        Person created;
        try {
            created = PersonMapper.toProto(directory.register(caller, person, request.getRequestId(), v,
                    request.getConfirmNewPerson()));
        } catch (LikelyDuplicateException e) {
            // ErrorInfo names the candidates the caller may see (resource names only) in metadata
            // "candidates", space-separated; ResourceInfo one per candidate.
            com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder()
                    .setCode(io.grpc.Status.Code.ALREADY_EXISTS.value()).setMessage(e.getMessage())
                    .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain(GrpcErrorMapping.ERROR_DOMAIN)
                            .setReason(e.reason()).putMetadata("candidates", String.join(" ", e.candidateIds())).build()));
            for (String name : e.candidateIds()) {
                s.addDetails(Any.pack(ResourceInfo.newBuilder().setResourceType("bridge.people.v1.Person")
                        .setResourceName(name).setDescription("likely the same person").build()));
            }
            throw StatusProto.toStatusRuntimeException(s.build());
        }
        response.onNext(created);
        response.onCompleted();
    }

    @Override
    public void getPerson(GetPersonRequest request, StreamObserver<Person> response) {
        Caller caller = CurrentCaller.get();
        String id = ResourceNames.ids("people/*", request.getName(), "name")[0];
        response.onNext(PersonMapper.toProto(directory.get(caller, id, ProtoMapping.purpose(request.getPurpose()))));
        response.onCompleted();
    }

    @Override
    public void lookupPerson(LookupPersonRequest request, StreamObserver<Person> response) {
        Caller caller = CurrentCaller.get();
        if (!request.hasIdentifier()) {
            Violations v = new Violations();
            v.add("identifier", "is required");
            v.throwIfAny();
        }
        var id = request.getIdentifier();
        response.onNext(PersonMapper.toProto(directory.lookup(caller, PersonMapper.identifierType(id.getType()),
                id.getValue(), id.getIssuingAgency(), ProtoMapping.purpose(request.getPurpose()))));
        response.onCompleted();
    }

    @Override
    public void searchPeople(SearchPeopleRequest request, StreamObserver<SearchPeopleResponse> response) {
        Caller caller = CurrentCaller.get();
        Violations v = new Violations();
        LocalDate dob = request.hasDateOfBirth()
                ? ProtoMapping.localDate(request.getDateOfBirth(), "date_of_birth", v) : null;
        v.throwIfAny();
        PersonMatcher.Query query = new PersonMatcher.Query(request.getGivenNames(), request.getFamilyName(), dob,
                request.getPostcode(), PersonMapper.gender(request.getGender()));
        SearchPeopleResponse.Builder out = SearchPeopleResponse.newBuilder();
        for (PeopleDirectory.Candidate c : directory.search(caller, query, request.getPageSize(),
                ProtoMapping.purpose(request.getPurpose()))) {
            out.addCandidates(PersonCandidate.newBuilder().setPerson(PersonMapper.toProto(c.person()))
                    .setScore(c.score()).addAllReasons(c.reasons()));
        }
        response.onNext(out.build());
        response.onCompleted();
    }

    @Override
    public void listDuplicateReviews(ListDuplicateReviewsRequest request, StreamObserver<ListDuplicateReviewsResponse> response) {
        Caller caller = CurrentCaller.get();
        DuplicateReview.State state = switch (request.getState()) {
            case DUPLICATE_REVIEW_STATE_MERGED -> DuplicateReview.State.MERGED;
            case DUPLICATE_REVIEW_STATE_DISMISSED -> DuplicateReview.State.DISMISSED;
            default -> DuplicateReview.State.OPEN;
        };
        Stewardship.ReviewPage page = stewardship.reviews(caller, state, request.getPageSize(), request.getPageToken());
        ListDuplicateReviewsResponse.Builder out = ListDuplicateReviewsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.reviews().forEach(r -> out.addReviews(review(r)));
        response.onNext(out.build());
        response.onCompleted();
    }

    @Override
    public void dismissDuplicateReview(DismissDuplicateReviewRequest request, StreamObserver<bridge.proto.people.v1.DuplicateReview> response) {
        Caller caller = CurrentCaller.get();
        Stewardship.requireStewardOf(caller);
        String id = ResourceNames.ids("duplicateReviews/*", request.getName(), "name")[0];
        response.onNext(review(stewardship.dismiss(caller, id, request.getReason())));
        response.onCompleted();
    }

    @Override
    public void mergePeople(MergePeopleRequest request, StreamObserver<bridge.proto.people.v1.PersonMerge> response) {
        Caller caller = CurrentCaller.get();
        Stewardship.requireStewardOf(caller);
        String survivor = ResourceNames.ids("people/*", request.getSurvivor(), "survivor")[0];
        String merged = ResourceNames.ids("people/*", request.getMerged(), "merged")[0];
        response.onNext(merge(stewardship.merge(caller, survivor, merged, request.getReason(), request.getRequestId())));
        response.onCompleted();
    }

    @Override
    public void unmergePeople(UnmergePeopleRequest request, StreamObserver<bridge.proto.people.v1.PersonMerge> response) {
        Caller caller = CurrentCaller.get();
        Stewardship.requireStewardOf(caller);
        String id = ResourceNames.ids("merges/*", request.getName(), "name")[0];
        response.onNext(merge(stewardship.unmerge(caller, id, request.getReason())));
        response.onCompleted();
    }

    @Override
    public void unlinkPerson(UnlinkPersonRequest request, StreamObserver<bridge.proto.people.v1.PersonUnlink> response) {
        Caller caller = CurrentCaller.get();
        Stewardship.requireStewardOf(caller);
        String id = ResourceNames.ids("people/*", request.getName(), "name")[0];
        response.onNext(unlink(stewardship.unlink(caller, id, request.getAgency(), request.getReason(), request.getRequestId())));
        response.onCompleted();
    }

    private static bridge.proto.people.v1.PersonUnlink unlink(PersonUnlink u) {
        return bridge.proto.people.v1.PersonUnlink.newBuilder().setName("unlinks/" + u.id())
                .setPerson("people/" + u.personId()).setUnlinkedPerson("people/" + u.unlinkedPersonId())
                .setAgency(u.agency()).setReason(u.reason()).setUnlinkedBy(ProtoMapping.actor(u.unlinkedBy()))
                .setUnlinkTime(ProtoMapping.timestamp(u.unlinkedAt())).build();
    }

    private static bridge.proto.people.v1.PersonMerge merge(PersonMerge m) {
        var b = bridge.proto.people.v1.PersonMerge.newBuilder().setName("merges/" + m.id())
                .setSurvivor("people/" + m.survivorId()).setMerged("people/" + m.mergedId()).setReason(m.reason())
                .setMergedBy(ProtoMapping.actor(m.mergedBy())).setMergeTime(ProtoMapping.timestamp(m.mergedAt()));
        if (m.undone()) {
            b.setUnmergedBy(ProtoMapping.actor(m.unmergedBy())).setUnmergeTime(ProtoMapping.timestamp(m.unmergedAt()))
                    .setUnmergeReason(m.unmergeReason());
        }
        return b.build();
    }

    private static bridge.proto.people.v1.DuplicateReview review(DuplicateReview r) {
        return bridge.proto.people.v1.DuplicateReview.newBuilder().setName("duplicateReviews/" + r.id())
                .setPerson("people/" + r.personId()).setCandidate("people/" + r.candidateId())
                .setKind(DuplicateReviewKind.valueOf("DUPLICATE_REVIEW_KIND_" + r.kind().name()))
                .setScore(r.score()).setRegisteringAgency(r.registeringAgency())
                .setState(DuplicateReviewState.valueOf("DUPLICATE_REVIEW_STATE_" + r.state().name()))
                .setCreateTime(ProtoMapping.timestamp(r.createdAt())).setResolution(r.resolution()).build();
    }
}

package bridge.people.api;

import bridge.people.domain.NewPerson;
import bridge.people.domain.PeopleDirectory;
import bridge.proto.people.v1.CreatePersonRequest;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.Person;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.support.errors.Violations;
import bridge.support.grpc.ProtoMapping;
import bridge.support.grpc.ResourceNames;
import bridge.support.identity.Caller;
import bridge.support.identity.CurrentCaller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

/** gRPC adapter of the people directory: the only place that sees generated types. */
@Service
public class PeopleDirectoryGrpcService extends PeopleDirectoryServiceGrpc.PeopleDirectoryServiceImplBase {

    private final PeopleDirectory directory;

    public PeopleDirectoryGrpcService(PeopleDirectory directory) {
        this.directory = directory;
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
        response.onNext(PersonMapper.toProto(directory.register(caller, person, request.getRequestId(), v)));
        response.onCompleted();
    }

    @Override
    public void getPerson(GetPersonRequest request, StreamObserver<Person> response) {
        Caller caller = CurrentCaller.get();
        String id = ResourceNames.ids("people/*", request.getName(), "name")[0];
        response.onNext(PersonMapper.toProto(directory.get(caller, id, ProtoMapping.purpose(request.getPurpose()))));
        response.onCompleted();
    }
}

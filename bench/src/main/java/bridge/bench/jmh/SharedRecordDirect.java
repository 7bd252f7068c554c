package bridge.bench.jmh;

import bridge.proto.benefits.v1.BenefitsLiaisonServiceGrpc;
import bridge.proto.benefits.v1.ListClaimsRequest;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.ListConsentsRequest;
import bridge.proto.housing.v1.HousingLiaisonServiceGrpc;
import bridge.proto.housing.v1.ListHousingSituationsRequest;
import bridge.proto.people.v1.GetPersonRequest;
import bridge.proto.people.v1.PeopleDirectoryServiceGrpc;
import bridge.proto.referrals.v1.ListReferralsRequest;
import bridge.proto.referrals.v1.ReferralServiceGrpc;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S1 without the gateway: the same five calls the gateway's shared-record composer makes (person,
 * housing, claims, referrals, consents), started together, straight to each owning service over
 * loopback gRPC with the same token. What is left when the HTTP edge, token check at the edge,
 * transcoding and composition are taken away: the basis of the gateway-overhead ratio.
 */
@State(Scope.Benchmark)
public class SharedRecordDirect {

    private final List<ManagedChannel> channels = new ArrayList<>();
    private PeopleDirectoryServiceGrpc.PeopleDirectoryServiceFutureStub people;
    private HousingLiaisonServiceGrpc.HousingLiaisonServiceFutureStub housing;
    private BenefitsLiaisonServiceGrpc.BenefitsLiaisonServiceFutureStub benefits;
    private ReferralServiceGrpc.ReferralServiceFutureStub referrals;
    private ConsentServiceGrpc.ConsentServiceFutureStub consents;
    private List<String> ids;

    @Setup(Level.Trial)
    public void connect() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + BenchProps.get("readerToken"));
        ClientInterceptor bearer = MetadataUtils.newAttachHeadersInterceptor(headers);
        people = PeopleDirectoryServiceGrpc.newFutureStub(channel("people-directory")).withInterceptors(bearer);
        housing = HousingLiaisonServiceGrpc.newFutureStub(channel("housing-liaison")).withInterceptors(bearer);
        benefits = BenefitsLiaisonServiceGrpc.newFutureStub(channel("benefits-liaison")).withInterceptors(bearer);
        referrals = ReferralServiceGrpc.newFutureStub(channel("referrals")).withInterceptors(bearer);
        consents = ConsentServiceGrpc.newFutureStub(channel("consent")).withInterceptors(bearer);
        ids = BenchProps.people();
    }

    private ManagedChannel channel(String service) {
        ManagedChannel c = ManagedChannelBuilder.forAddress("127.0.0.1", BenchProps.grpcPort(service)).usePlaintext().build();
        channels.add(c);
        return c;
    }

    @Setup(Level.Iteration)
    public void resetErrors() {
        CallErrors.reset();
    }

    @TearDown(Level.Trial)
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Benchmark
    public Object sharedRecordParts() throws InterruptedException {
        String parent = "people/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
        Purpose purpose = Purpose.PURPOSE_DIRECT_SUPPORT;
        List<ListenableFuture<?>> parts = List.of(
                people.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getPerson(GetPersonRequest.newBuilder().setName(parent).setPurpose(purpose).build()),
                housing.withDeadlineAfter(5, TimeUnit.SECONDS).listHousingSituations(ListHousingSituationsRequest.newBuilder()
                        .setParent(parent).setPageSize(100).setPurpose(purpose).build()),
                benefits.withDeadlineAfter(5, TimeUnit.SECONDS).listClaims(ListClaimsRequest.newBuilder()
                        .setParent(parent).setPageSize(100).setPurpose(purpose).build()),
                referrals.withDeadlineAfter(5, TimeUnit.SECONDS).listReferrals(ListReferralsRequest.newBuilder()
                        .setParent(parent).setPageSize(100).setPurpose(purpose).build()),
                consents.withDeadlineAfter(5, TimeUnit.SECONDS).listConsents(ListConsentsRequest.newBuilder()
                        .setParent(parent).setPageSize(100).build()));
        try {
            return Futures.allAsList(parts).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // a failed part: an error, as a non-2xx answer is for wrk
            CallErrors.count();
            return e;
        }
    }
}

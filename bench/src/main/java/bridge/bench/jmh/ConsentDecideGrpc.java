package bridge.bench.jmh;

import bridge.proto.common.v1.DataCategory;
import bridge.proto.common.v1.Purpose;
import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.DecideRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * S4 over gRPC: Decide on the running consent service over loopback (token check, one read of the
 * person's consents, the policy, one audit entry appended), random seeded person and category.
 */
@State(Scope.Benchmark)
public class ConsentDecideGrpc {

    private static final DataCategory[] CATEGORIES = Arrays.stream(DataCategory.values())
            .filter(c -> c != DataCategory.DATA_CATEGORY_UNSPECIFIED && c != DataCategory.UNRECOGNIZED)
            .toArray(DataCategory[]::new);

    private ManagedChannel channel;
    private ConsentServiceGrpc.ConsentServiceBlockingStub consent;
    private List<String> ids;

    @Setup(Level.Trial)
    public void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", BenchProps.grpcPort("consent")).usePlaintext().build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + BenchProps.get("readerToken"));
        consent = ConsentServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        ids = BenchProps.people();
    }

    @Setup(Level.Iteration)
    public void resetErrors() {
        CallErrors.reset();
    }

    @TearDown(Level.Trial)
    public void close() {
        channel.shutdownNow();
    }

    @Benchmark
    public Object decide() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        try {
            return consent.withDeadlineAfter(5, TimeUnit.SECONDS).decide(DecideRequest.newBuilder()
                    .setPerson("people/" + ids.get(rnd.nextInt(ids.size())))
                    .setCategory(CATEGORIES[rnd.nextInt(CATEGORIES.length)])
                    .setPurpose(Purpose.PURPOSE_DIRECT_SUPPORT).build());
        } catch (StatusRuntimeException e) {
            CallErrors.count();
            return e;
        }
    }
}

package bridge.support.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.consent.v1.ConsentServiceGrpc;
import bridge.proto.consent.v1.ListDecisionKeysRequest;
import bridge.proto.consent.v1.ListDecisionKeysResponse;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server with a bounded pool and admission: more concurrent slow calls than the limit → the calls
 * over it are refused at once (UNAVAILABLE, SERVICE_OVERLOADED) while the admitted ones wait, and the
 * server's threads never pass the bound.
 */
class CallAdmissionTest {

    static final int LIMIT = 3;

    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();
    final GrpcServerThreads threads = new GrpcServerThreads("test-grpc", LIMIT + bridge.support.config.GrpcServerProperties.SPARE_THREADS, 64);
    final CallAdmission admission = new CallAdmission(LIMIT);
    final ExecutorService clients = Executors.newFixedThreadPool(12);
    Server server;
    ManagedChannel channel;

    @AfterEach
    void stop() {
        release.countDown();
        clients.shutdownNow();
        channel.shutdownNow();
        server.shutdownNow();
        threads.destroy();
    }

    @Test
    void callsOverTheLimitAreRefusedAtOnceAndThreadsStayBounded() throws Exception {
        String name = "admission-" + UUID.randomUUID();
        ConsentServiceGrpc.ConsentServiceImplBase slow = new ConsentServiceGrpc.ConsentServiceImplBase() {
            @Override
            public void listDecisionKeys(ListDecisionKeysRequest request, StreamObserver<ListDecisionKeysResponse> out) {
                started.incrementAndGet();
                try {
                    release.await(30, TimeUnit.SECONDS); // a call waiting on a slow database
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.onNext(ListDecisionKeysResponse.getDefaultInstance());
                out.onCompleted();
            }
        };
        server = InProcessServerBuilder.forName(name).executor(threads.executor())
                .addService(ServerInterceptors.intercept(slow, admission)).build().start();
        channel = InProcessChannelBuilder.forName(name).build();

        List<Future<Status.Code>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(clients.submit(() -> {
                try {
                    ConsentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                            .listDecisionKeys(ListDecisionKeysRequest.getDefaultInstance());
                    return Status.Code.OK;
                } catch (StatusRuntimeException e) {
                    ErrorInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
                    assertThat(info.getReason()).isEqualTo(CallAdmission.REASON);
                    return e.getStatus().getCode();
                }
            }));
        }
        // the nine over the limit are answered while the three admitted calls are still waiting
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((calls.stream().filter(Future::isDone).count() < 12 - LIMIT || started.get() < LIMIT)
                && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        List<Status.Code> answered = new ArrayList<>();
        for (Future<Status.Code> f : calls) {
            if (f.isDone()) {
                answered.add(f.get());
            }
        }
        assertThat(answered).hasSize(12 - LIMIT).containsOnly(Status.Code.UNAVAILABLE);
        assertThat(started).hasValue(LIMIT);
        assertThat(admission.inFlight()).isEqualTo(LIMIT);
        assertThat(threads.threads()).isLessThanOrEqualTo(LIMIT + bridge.support.config.GrpcServerProperties.SPARE_THREADS);

        release.countDown();
        long ok = 0;
        for (Future<Status.Code> f : calls) {
            if (f.get(20, TimeUnit.SECONDS) == Status.Code.OK) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(LIMIT);
        // every permit is back: the next call is served
        ConsentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .listDecisionKeys(ListDecisionKeysRequest.getDefaultInstance());
        assertThat(admission.inFlight()).isZero();
    }
}

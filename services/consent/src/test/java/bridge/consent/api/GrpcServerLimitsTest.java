package bridge.consent.api;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.proto.consent.v1.ListDecisionKeysRequest;
import bridge.support.config.GrpcServerProperties;
import bridge.support.grpc.CallAdmission;
import bridge.support.grpc.GrpcServerThreads;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The service's gRPC server runs calls on its bounded pool, under admission (support's wiring). */
class GrpcServerLimitsTest extends GrpcTestBase {

    @Autowired
    GrpcServerThreads threads;

    @Autowired
    CallAdmission admission;

    @Autowired
    GrpcServerProperties limits;

    @Test
    void callsRunOnTheBoundedPoolAndGiveTheirPermitBack() {
        as(HOUSING).listDecisionKeys(ListDecisionKeysRequest.getDefaultInstance());
        assertThat(threads.threads()).isBetween(1, limits.threads());
        assertThat(limits.maxConcurrentCalls()).isEqualTo(256);
        assertThat(admission.inFlight()).isZero();
    }
}

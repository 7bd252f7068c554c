package bridge.housing.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;

/** Status helpers for the service's gRPC tests. */
public final class HousingTestCalls {

    private HousingTestCalls() {
    }

    public static StatusRuntimeException catchStatus(Runnable call) {
        return HousingLiaisonGrpcServiceTest.catchStatus(call);
    }

    /** The BadRequest field names of an INVALID_ARGUMENT, in order. */
    public static List<String> fields(StatusRuntimeException e) {
        return HousingLiaisonGrpcServiceTest.fields(e);
    }
}

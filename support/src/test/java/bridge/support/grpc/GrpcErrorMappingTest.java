package bridge.support.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import bridge.support.errors.InvalidArgumentException;
import bridge.support.errors.NotFoundException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;

class GrpcErrorMappingTest {

    private final GrpcErrorMapping mapping = new GrpcErrorMapping();

    @Test
    void invalidArgumentCarriesFieldViolations() throws Exception {
        StatusException e = mapping.handleException(
                InvalidArgumentException.of("person.date_of_birth", "is not a calendar date"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        BadRequest br = status.getDetailsList().stream().filter(a -> a.is(BadRequest.class)).findFirst()
                .orElseThrow().unpack(BadRequest.class);
        assertThat(br.getFieldViolations(0).getField()).isEqualTo("person.date_of_birth");
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getDomain()).isEqualTo("bridge.platform");
    }

    @Test
    void unexpectedFailuresDoNotLeakTheirMessage() {
        StatusException e = mapping.handleException(new IllegalStateException("secret db host mongo-0.internal"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).doesNotContain("mongo-0").doesNotContain("IllegalState");
    }

    @Test
    void notFound() {
        assertThat(mapping.handleException(new NotFoundException("people/x not found")).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aDatabaseOutageIsUnavailableWithoutItsAddress() throws Exception {
        for (Throwable outage : new Throwable[] {
                new com.mongodb.MongoTimeoutException("Timed out while waiting for a server; mongo-0.internal:27017"),
                new com.mongodb.MongoSocketOpenException("Exception opening socket",
                        new com.mongodb.ServerAddress("mongo-0.internal", 27017)),
                new com.mongodb.MongoSocketReadException("Prematurely reached end of stream",
                        new com.mongodb.ServerAddress("10.0.0.7", 27017))}) {
            StatusException e = mapping.handleException(outage);
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).doesNotContain("mongo-0").doesNotContain("10.0.0.7")
                    .doesNotContain("27017").doesNotContain("Exception");
            ErrorInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
            assertThat(info.getReason()).isEqualTo("DATABASE_UNAVAILABLE");
        }
    }

    @Test
    void aTokenThatCannotBeCheckedIsUnavailableNotTheCallersFault() throws Exception {
        StatusException e = mapping.handleException(new AuthenticationServiceException(
                "An error occurred while attempting to decode the Jwt: keys at http://keycloak.internal:8080 unreachable"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).doesNotContain("keycloak.internal").doesNotContain("Jwt");
        ErrorInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("IDENTITY_PROVIDER_UNAVAILABLE");
        // a token that is wrong stays the caller's problem
        assertThat(mapping.handleException(new BadCredentialsException("bad signature")).getStatus().getCode())
                .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
}

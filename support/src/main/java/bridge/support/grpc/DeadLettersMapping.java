package bridge.support.grpc;

import bridge.proto.common.v1.DeadLetter;
import bridge.proto.common.v1.ListDeadLettersResponse;
import bridge.support.outbox.OutboxMessage;
import java.util.List;

/**
 * The outbox's dead letters as the contract shows them to operators ({@code bridge.common.v1}),
 * written once for every service that delivers to a partner system. Each service names its own
 * collection ({@code housing/deadLetters}, {@code benefits/deadLetters}); the shape is the same.
 */
public final class DeadLettersMapping {

    private DeadLettersMapping() {
    }

    /** Routing, attempts and the last error; never the payload (it may hold personal data). */
    public static DeadLetter toProto(String collection, OutboxMessage m) {
        return DeadLetter.newBuilder().setName(collection + "/" + m.id()).setChannel(m.channel())
                .setIdempotencyKey(m.idempotencyKey()).putAllAttributes(m.attributes()).setAttempts(m.attempts())
                .setLastError(m.lastError() == null ? "" : m.lastError())
                .setEnqueueTime(ProtoMapping.timestamp(m.enqueuedAt())).setState(m.status().name()).build();
    }

    public static ListDeadLettersResponse toResponse(String collection, List<OutboxMessage> messages) {
        var b = ListDeadLettersResponse.newBuilder();
        messages.forEach(m -> b.addDeadLetters(toProto(collection, m)));
        return b.build();
    }

    /**
     * The outbox id in a dead letter's name; a name outside {@code collection} is the caller's
     * mistake (INVALID_ARGUMENT naming {@code name}).
     */
    public static String id(String collection, String name) {
        return ResourceNames.ids(collection + "/*", name, "name")[0];
    }
}

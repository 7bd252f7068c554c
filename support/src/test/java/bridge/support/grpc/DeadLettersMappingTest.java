package bridge.support.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import bridge.support.errors.InvalidArgumentException;
import bridge.support.mongo.Ids;
import bridge.support.outbox.OutboxMessage;
import bridge.support.outbox.OutboxStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLettersMappingTest {

    static final Instant ENQUEUED = Instant.parse("2026-03-01T10:00:00.123Z");

    static OutboxMessage dead(String id, String lastError) {
        return new OutboxMessage(id, "duty-to-refer", "person-1", "dtr-" + id, "{\"contactPhone\":\"07700 900123\"}",
                Map.of("authorityCode", "E08000035"), 7, ENQUEUED, OutboxStatus.DEAD, 12, ENQUEUED.plusSeconds(60),
                lastError, null);
    }

    @Test
    void showsRoutingAttemptsAndTheLastErrorUnderTheServicesCollectionButNeverThePayload() {
        var letter = DeadLettersMapping.toProto("housing/deadLetters", dead("m1", "rejected: HTTP 422"));
        assertThat(letter.getName()).isEqualTo("housing/deadLetters/m1");
        assertThat(letter.getChannel()).isEqualTo("duty-to-refer");
        assertThat(letter.getIdempotencyKey()).isEqualTo("dtr-m1");
        assertThat(letter.getAttributesMap()).containsExactly(Map.entry("authorityCode", "E08000035"));
        assertThat(letter.getAttempts()).isEqualTo(12);
        assertThat(letter.getLastError()).isEqualTo("rejected: HTTP 422");
        assertThat(ProtoMapping.instant(letter.getEnqueueTime())).isEqualTo(ENQUEUED);
        assertThat(letter.getState()).isEqualTo("DEAD");
        assertThat(letter.toString()).doesNotContain("07700");
    }

    @Test
    void noLastErrorIsEmptyAndAListKeepsItsOrder() {
        var response = DeadLettersMapping.toResponse("benefits/deadLetters", List.of(dead("b", null), dead("a", "x")));
        assertThat(response.getDeadLettersList()).extracting(l -> l.getName())
                .containsExactly("benefits/deadLetters/b", "benefits/deadLetters/a");
        assertThat(response.getDeadLetters(0).getLastError()).isEmpty();
    }

    @Test
    void aNameOutsideTheServicesCollectionIsTheCallersMistakeNamingTheField() {
        String id = Ids.next();
        assertThat(DeadLettersMapping.id("benefits/deadLetters", "benefits/deadLetters/" + id)).isEqualTo(id);
        assertThatThrownBy(() -> DeadLettersMapping.id("benefits/deadLetters", "housing/deadLetters/" + id))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.violations()).extracting(v -> v.field()).containsExactly("name"));
    }
}

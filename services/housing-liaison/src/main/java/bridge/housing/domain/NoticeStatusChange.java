package bridge.housing.domain;

import java.time.Instant;

public record NoticeStatusChange(NoticeStatus status, Instant at, String note) {

    public NoticeStatusChange {
        note = note == null ? "" : note;
    }
}

package bridge.people.domain;

import java.time.Instant;

/**
 * A suspected duplicate for a data steward: {@code personId} was registered although it probably is
 * {@code candidateId}, which the registering agency may not see (so it could not be told).
 */
public record DuplicateReview(String id, String personId, String candidateId, Kind kind, double score,
                              String registeringAgency, State state, Instant createdAt, String resolution) {

    /** STRONG_IDENTIFIER: the same strong identifier, names not corroborating it; FUZZY: matcher score. */
    public enum Kind { STRONG_IDENTIFIER, FUZZY }

    public enum State { OPEN, MERGED, DISMISSED }

    public DuplicateReview closed(State to, String why) {
        return new DuplicateReview(id, personId, candidateId, kind, score, registeringAgency, to, createdAt, why);
    }
}

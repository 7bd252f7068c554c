package bridge.people.domain;

import bridge.support.errors.NotFoundException;
import bridge.support.errors.PermissionDeniedException;
import bridge.support.errors.Violations;
import bridge.support.identity.Caller;
import bridge.support.paging.PageTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The data steward's work on the directory (ADR 0007): the queue of suspected duplicates that
 * registering agencies could not be told about, and merging records of one person (and undoing it).
 *
 * <p>Restricted to the realm roles {@code data-steward} and {@code data-protection-officer}, whatever
 * the caller's agency: like the DPO's oversight in the consent service, it is a role across the
 * partnership. Everyone else is refused (PERMISSION_DENIED) before anything is read.
 */
public final class Stewardship {

    public static final String DATA_STEWARD = "data-steward";
    public static final String DATA_PROTECTION_OFFICER = "data-protection-officer";
    static final int MAX_PAGE_SIZE = 100;
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_REASON = 500;
    private static final String REVIEW_LIST = "duplicateReviews";

    private final PersonRepository people;
    private final Clock clock;
    private final Supplier<String> ids;

    public Stewardship(PersonRepository people, Clock clock, Supplier<String> ids) {
        this.people = people;
        this.clock = clock;
        this.ids = ids;
    }

    public static boolean isSteward(Caller caller) {
        return caller.hasRole(DATA_STEWARD) || caller.hasRole(DATA_PROTECTION_OFFICER);
    }

    /** Refused before the request is even parsed, so a non-steward learns nothing from the error. */
    public static void requireStewardOf(Caller caller) {
        requireSteward(caller);
    }

    static void requireSteward(Caller caller) {
        if (!isSteward(caller)) {
            throw new PermissionDeniedException("DATA_STEWARD_ONLY",
                    "only a data steward or the data protection officer may do this");
        }
    }

    public record ReviewPage(List<DuplicateReview> reviews, String nextPageToken) {
    }

    /** Reviews in a state (OPEN when null), oldest first. */
    public ReviewPage reviews(Caller caller, DuplicateReview.State state, int pageSize, String pageToken) {
        requireSteward(caller);
        Violations v = new Violations();
        if (pageSize < 0) {
            v.add("page_size", "must not be negative");
        }
        DuplicateReview.State wanted = state == null ? DuplicateReview.State.OPEN : state;
        Instant after = null;
        String afterId = null;
        if (pageToken != null && !pageToken.isEmpty()) {
            Optional<String[]> at = PageTokens.decode(pageToken, REVIEW_LIST + "/" + wanted);
            if (at.isEmpty()) {
                v.add("page_token", "is not a token of this list");
            } else {
                try {
                    after = Instant.ofEpochMilli(Long.parseLong(at.get()[0]));
                    afterId = at.get()[1];
                } catch (NumberFormatException e) {
                    v.add("page_token", "is not a token of this list");
                }
            }
        }
        v.throwIfAny();
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
        List<DuplicateReview> page = people.reviews(wanted, after, afterId, size + 1);
        String next = "";
        if (page.size() > size) {
            page = page.subList(0, size);
            DuplicateReview last = page.get(size - 1);
            next = PageTokens.encode(REVIEW_LIST + "/" + wanted, Long.toString(last.createdAt().toEpochMilli()), last.id());
        }
        return new ReviewPage(List.copyOf(page), next);
    }

    /** Closes an open review as "not the same person". */
    public DuplicateReview dismiss(Caller caller, String reviewId, String reason) {
        requireSteward(caller);
        Violations v = new Violations();
        reason(reason, "reason", v);
        v.throwIfAny();
        DuplicateReview review = people.findReview(reviewId).orElseThrow(() -> reviewNotFound(reviewId));
        if (review.state() != DuplicateReview.State.OPEN) {
            throw new bridge.support.errors.FailedPreconditionException("REVIEW_CLOSED",
                    "duplicateReviews/" + reviewId + " is closed already (" + review.state() + ")");
        }
        DuplicateReview closed = review.closed(DuplicateReview.State.DISMISSED, reason.strip());
        if (!people.updateReview(closed, DuplicateReview.State.OPEN)) {
            throw new bridge.support.errors.ConflictException("CONCURRENT_UPDATE", "the review changed meanwhile; read it again");
        }
        return closed;
    }

    static void reason(String reason, String field, Violations v) {
        if (reason == null || reason.isEmpty()) {
            v.add(field, "is required");
        } else if (reason.isBlank()) {
            v.add(field, "must not be only whitespace");
        } else if (reason.length() > MAX_REASON) {
            v.add(field, "at most " + MAX_REASON + " characters");
        } else if (reason.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            v.add(field, "must not contain control characters");
        }
    }

    private static NotFoundException reviewNotFound(String id) {
        return new NotFoundException("REVIEW_NOT_FOUND", "duplicateReviews/" + id + " not found");
    }
}

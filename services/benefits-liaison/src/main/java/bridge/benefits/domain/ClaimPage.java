package bridge.benefits.domain;

import java.util.List;

/**
 * One page of a person's claims as the caller may see them.
 *
 * @param nextPageToken      empty on the last page
 * @param withheldFromCaller true when other agencies hold claims about the person that were not
 *                           returned (the caller learns the category exists, never its content)
 */
public record ClaimPage(List<Claim> claims, String nextPageToken, boolean withheldFromCaller) {

    public ClaimPage {
        claims = List.copyOf(claims);
    }
}

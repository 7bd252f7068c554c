package bridge.people.domain;

import bridge.support.errors.BridgeException;
import java.util.List;

/**
 * Registration refused (ALREADY_EXISTS, mapped by the gRPC adapter): the person is probably already in the directory. Names only candidates the
 * caller may see (their ids), never their data; the caller can read them with GetPerson, and
 * registers anyway with {@code confirm_new_person}.
 */
public final class LikelyDuplicateException extends BridgeException {

    private final List<String> candidateIds;

    public LikelyDuplicateException(List<String> candidateIds) {
        // the names are in the message too: REST callers get the message as the problem's detail
        super("LIKELY_DUPLICATE", "this person is probably registered already as " + String.join(", ", candidateIds)
                + " (records you may see); check them, or set confirm_new_person to register a new person");
        this.candidateIds = List.copyOf(candidateIds);
    }

    public List<String> candidateIds() {
        return candidateIds;
    }
}
